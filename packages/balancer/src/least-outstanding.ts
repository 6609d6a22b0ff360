import { type Balancer, type BalancerCandidate, type Random, systemRandom } from '@mcpmx/core';
import { pickOfTwo } from './power-of-two.js';

/** Power of two choices by fewest requests in flight (each candidate's `inFlight`). */
export function createLeastOutstanding(options: { random?: Random } = {}): Balancer {
  const random = options.random ?? systemRandom;
  return {
    name: 'least-outstanding',
    pick: <C extends BalancerCandidate>(candidates: readonly C[]) =>
      pickOfTwo(candidates, random, (candidate) => candidate.inFlight ?? 0),
    onEnd: () => undefined,
    remove: () => undefined,
  };
}
