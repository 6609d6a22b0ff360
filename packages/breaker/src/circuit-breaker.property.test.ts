import { type BreakerStateChange, systemClock } from '@mcpmx/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.js';
import { consecutiveFailures } from './failure-policies.js';

type Op =
  | { kind: 'acquire' }
  | { kind: 'success' }
  | { kind: 'failure' }
  | { kind: 'advance'; ms: number }
  | { kind: 'isolate' }
  | { kind: 'release' }
  | { kind: 'reset' }
  | { kind: 'snapshot' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'acquire' } as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'success' } as const) },
  { weight: 4, arbitrary: fc.constant({ kind: 'failure' } as const) },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 0, max: 900 }).map((ms) => ({ kind: 'advance', ms }) as const),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'isolate' } as const) },
  { weight: 2, arbitrary: fc.constant({ kind: 'release' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'snapshot' } as const) },
);

describe('createCircuitBreaker invariants', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('property: an open or isolated breaker never admits, half-open admits at most `halfOpenProbes`, and the events chain exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(op, { maxLength: 80 }),
        (threshold, probes, ops) => {
          vi.setSystemTime(0);
          const options = {
            policy: consecutiveFailures(threshold),
            halfOpenAfter: { initialMs: 100, factor: 2, maxMs: 400 },
            halfOpenProbes: probes,
            successesToClose: probes,
            clock: systemClock,
          };
          let breaker = createCircuitBreaker(options);
          const changes: BreakerStateChange[] = [];
          const listen = () => breaker.on('state-change', (change) => changes.push(change));
          listen();
          const disposers: (() => void)[] = [];
          // Disposers issued since the last reset: the breaker is isolated while any is unreleased.
          const live = new Set<() => void>();
          let admittedInHalfOpen = 0;
          for (const step of ops) {
            const before = breaker.state;
            switch (step.kind) {
              case 'acquire': {
                const admitted = breaker.tryAcquire();
                if (before === 'open' || before === 'isolated') expect(admitted).toBe(false);
                if (before === 'closed') expect(admitted).toBe(true);
                if (before === 'half-open' && admitted) admittedInHalfOpen++;
                expect(admittedInHalfOpen).toBeLessThanOrEqual(probes);
                break;
              }
              case 'success':
                breaker.recordSuccess();
                if (before === 'half-open')
                  admittedInHalfOpen = Math.max(0, admittedInHalfOpen - 1);
                break;
              case 'failure':
                breaker.recordFailure();
                if (before === 'half-open') expect(breaker.state).toBe('open');
                break;
              case 'advance':
                vi.advanceTimersByTime(step.ms);
                break;
              case 'isolate':
                {
                  const dispose = breaker.isolate();
                  disposers.push(dispose);
                  live.add(dispose);
                }
                expect(breaker.state).toBe('isolated');
                break;
              case 'release': {
                const dispose = disposers.shift();
                dispose?.();
                if (dispose) live.delete(dispose);
                expect(breaker.state === 'isolated').toBe(live.size > 0);
                break;
              }
              case 'reset':
                breaker.reset();
                live.clear();
                expect(breaker.state).toBe('closed');
                break;
              case 'snapshot': {
                // Resuming from a snapshot gives a breaker in the same state with the same timing.
                const snapshot = JSON.parse(JSON.stringify(breaker.toJSON()));
                if (snapshot.state === 'isolated') break;
                const retryAfter = breaker.retryAfterMs();
                breaker = createCircuitBreaker({ ...options, restore: snapshot });
                listen();
                expect(breaker.state).toBe(snapshot.state);
                expect(breaker.retryAfterMs()).toBe(retryAfter);
                disposers.length = 0;
                // Probes in flight belonged to the old process and died with it: a resumed
                // half-open breaker has its whole probe budget (else it would wait forever).
                admittedInHalfOpen = 0;
                break;
              }
            }
            if (breaker.state !== 'half-open') admittedInHalfOpen = 0;
            if (breaker.state === 'open') {
              const wait = breaker.retryAfterMs();
              expect(wait).toBeGreaterThan(0);
              expect(wait).toBeLessThanOrEqual(400);
            } else {
              expect(breaker.retryAfterMs()).toBeUndefined();
            }
          }
          // Every event leaves the state the previous one entered, at a time that never runs back.
          for (let i = 1; i < changes.length; i++) {
            const previous = changes[i - 1] as BreakerStateChange;
            const change = changes[i] as BreakerStateChange;
            expect(change.from).not.toBe(change.to);
            expect(change.at).toBeGreaterThanOrEqual(previous.at);
            expect(change.from).toBe(previous.to); // a resumed breaker starts where the old one was
          }
          // open → half-open happens exactly when the open period ends.
          for (let i = 1; i < changes.length; i++) {
            const change = changes[i] as BreakerStateChange;
            const previous = changes[i - 1] as BreakerStateChange;
            if (change.from === 'open' && change.to === 'half-open' && previous.to === 'open') {
              const period = Math.min(400, 100 * 2 ** Math.max(0, change.openings - 1));
              expect(change.at - previous.at).toBe(period);
            }
          }
        },
      ),
      // Fixed seed for repeatable CI (seed 1016816245 found the resumed-probe case above);
      // FUZZ_SEED and FUZZ_RUNS search further.
      {
        seed: Number(process.env.FUZZ_SEED ?? 2026_12_03),
        numRuns: Number(process.env.FUZZ_RUNS ?? 300),
      },
    );
  });
});
