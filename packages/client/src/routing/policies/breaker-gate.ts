import type { Clock } from '@mcpmx/core';
import type { Policy } from '../call-context.js';
import type { Replica } from '../replica.js';

/** Thrown synchronously by the gate when the picked replica's breaker refuses: pick again. */
export const GATE_REFUSED: unique symbol = Symbol('mcpmx.breaker-gate.refused');

/**
 * The breaker-gate policy: the picked replica's breaker must admit the attempt (closed admits
 * all, half-open a bounded number of probes, open and isolated none). A refusal is thrown
 * synchronously, before anything is sent, so the pick policy tries its next choice.
 */
export const breakerGate: Policy = (context, next) => {
  if (context.replica?.breaker.tryAcquire() === false) throw GATE_REFUSED;
  return next(context);
};

/**
 * Resolves when any of the replicas' breakers changes state, after `timeoutMs`, or on abort:
 * how a call waits for a recovering replica's probe instead of failing while it is in flight.
 */
export function probeSettled(
  replicas: readonly Replica[],
  clock: Clock,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      for (const stop of stops) stop();
      resolve();
    };
    const timer = clock.setTimeout(done, Math.max(0, timeoutMs));
    signal?.addEventListener('abort', done, { once: true });
    const stops = replicas.map((replica) => replica.breaker.on('state-change', done));
  });
}
