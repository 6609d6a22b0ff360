import { createConsistentHash, createP2cPeakEwma } from '@mcpmx/balancer';
import {
  consecutiveFailures,
  createCircuitBreaker,
  createOutlierDetector,
  defaultFailureClassifier,
} from '@mcpmx/breaker';
import type { Clock, Random } from '@mcpmx/core';

/**
 * The parts the client uses where none is given: P2C peak-EWMA balancing, consistent hashing
 * for affinity, a breaker per replica that opens after 5 consecutive failures (half-open after
 * 5 s, backing off to 60 s), Envoy-style outlier detection per server, and the default failure
 * classifier.
 */
export function defaultParts({ clock, random }: { clock: Clock; random: Random }) {
  return {
    createBalancer: () => createP2cPeakEwma({ clock, random }),
    createAffinityBalancer: () => createConsistentHash({ random }),
    createBreaker: () => createCircuitBreaker({ policy: consecutiveFailures(5), clock }),
    createOutlierDetector: () => createOutlierDetector({ clock }),
    isFailure: defaultFailureClassifier,
  };
}
