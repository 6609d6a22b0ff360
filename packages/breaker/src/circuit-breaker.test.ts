import { type BreakerStateChange, InvalidOptionError, systemClock } from '@mcpmx/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.js';
import { consecutiveFailures, countWindow, timeWindow } from './failure-policies.js';

describe('createCircuitBreaker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  const record = (breaker: ReturnType<typeof createCircuitBreaker>) => {
    const changes: BreakerStateChange[] = [];
    breaker.on('state-change', (change) => changes.push(change));
    return changes;
  };

  it('opens after N consecutive failures and half-opens exactly when the open period ends', () => {
    const breaker = createCircuitBreaker({
      policy: consecutiveFailures(3),
      halfOpenAfter: { initialMs: 1000, factor: 2, maxMs: 5000 },
      clock: systemClock,
    });
    const changes = record(breaker);
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess(); // resets the streak
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    vi.setSystemTime(100);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(1000);
    vi.setSystemTime(1099);
    expect(breaker.state).toBe('open');
    vi.setSystemTime(1100);
    expect(breaker.state).toBe('half-open');
    expect(changes).toEqual([
      { from: 'closed', to: 'open', at: 100, openings: 1 },
      { from: 'open', to: 'half-open', at: 1100, openings: 1 },
    ]);
  });

  it('backs off across consecutive openings up to the cap, and closing resets it', () => {
    const breaker = createCircuitBreaker({
      policy: consecutiveFailures(1),
      halfOpenAfter: { initialMs: 1000, factor: 2, maxMs: 3000 },
      clock: systemClock,
    });
    const openFor: number[] = [];
    for (let i = 0; i < 4; i++) {
      if (breaker.state === 'half-open') expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure();
      openFor.push(breaker.retryAfterMs() ?? -1);
      vi.advanceTimersByTime(breaker.retryAfterMs() ?? 0);
    }
    expect(openFor).toEqual([1000, 2000, 3000, 3000]);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.retryAfterMs()).toBe(1000);
  });

  it('half-open admits a bounded number of probes and needs the configured successes', () => {
    const breaker = createCircuitBreaker({
      policy: consecutiveFailures(1),
      halfOpenAfter: { initialMs: 10, maxMs: 10 },
      halfOpenProbes: 2,
      successesToClose: 2,
      clock: systemClock,
    });
    breaker.recordFailure();
    vi.advanceTimersByTime(10);
    expect([breaker.tryAcquire(), breaker.tryAcquire(), breaker.tryAcquire()]).toEqual([
      true,
      true,
      false,
    ]);
    breaker.recordSuccess();
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
  });

  it('release gives a half-open probe slot back without counting it either way', () => {
    const breaker = createCircuitBreaker({
      policy: consecutiveFailures(1),
      halfOpenAfter: { initialMs: 1000, maxMs: 1000 },
      clock: systemClock,
    });
    breaker.recordFailure();
    vi.advanceTimersByTime(1000);
    expect(breaker.tryAcquire()).toBe(true); // the one probe
    expect(breaker.tryAcquire()).toBe(false);
    breaker.release?.(); // that call was never sent
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release?.();
    breaker.release?.(); // more releases than admissions change nothing
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('a failed probe opens it again', () => {
    const breaker = createCircuitBreaker({ policy: consecutiveFailures(1), clock: systemClock });
    breaker.recordFailure();
    vi.advanceTimersByTime(5000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs()).toBe(10_000);
  });

  it('allowProbe ends an open period now; a failed probe reopens with the longer period', () => {
    const breaker = createCircuitBreaker({ policy: consecutiveFailures(1), clock: systemClock });
    const changes = record(breaker);
    breaker.allowProbe?.(); // closed: nothing to do
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    vi.advanceTimersByTime(1000);
    breaker.allowProbe?.();
    expect(changes.map((change) => change.to)).toEqual(['open', 'half-open']);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // one probe at a time
    breaker.recordFailure();
    expect(breaker.retryAfterMs()).toBe(10_000);
    const isolated = breaker.isolate();
    breaker.allowProbe?.(); // isolation is an operator's decision: left alone
    expect(breaker.state).toBe('isolated');
    isolated();
  });

  it('isolate holds it open until every disposer ran; reset closes it', () => {
    const breaker = createCircuitBreaker({ clock: systemClock });
    const changes = record(breaker);
    const first = breaker.isolate();
    const second = breaker.isolate();
    expect(breaker.tryAcquire()).toBe(false);
    first();
    first();
    expect(breaker.state).toBe('isolated');
    second();
    expect(breaker.state).toBe('closed');
    breaker.isolate();
    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(changes.map((c) => `${c.from}->${c.to}`)).toEqual([
      'closed->isolated',
      'isolated->closed',
      'closed->isolated',
      'isolated->closed',
    ]);
  });

  it('a disposer handed out before reset() does not undo a later isolation', () => {
    const breaker = createCircuitBreaker({ clock: systemClock });
    const stale = breaker.isolate();
    breaker.reset();
    stale();
    const fresh = breaker.isolate();
    stale();
    expect(breaker.state).toBe('isolated');
    fresh();
    expect(breaker.state).toBe('closed');
  });

  it('rejects a snapshot that could never leave the open state', () => {
    expect(() =>
      createCircuitBreaker({ restore: { state: 'open', openings: 1, openUntil: undefined } }),
    ).toThrow('restore.openUntil must be');
    expect(() =>
      createCircuitBreaker({ restore: { state: 'closed', openings: -1, openUntil: undefined } }),
    ).toThrow('restore.openings must be');
    expect(() =>
      createCircuitBreaker({ restore: { state: 'open', openings: 1, openUntil: Number.NaN } }),
    ).toThrow('restore.openUntil must be');
  });

  it('rejects a policy that is not a FailurePolicy at construction, not at the first failure', () => {
    let error: unknown;
    try {
      createCircuitBreaker({ policy: consecutiveFailures as never });
    } catch (thrown) {
      error = thrown;
    }
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    expect((error as InvalidOptionError).option).toBe('policy');
    expect((error as Error).message).toContain('call the factory');
  });

  it('serialises and resumes from its snapshot', () => {
    const breaker = createCircuitBreaker({ policy: consecutiveFailures(1), clock: systemClock });
    breaker.recordFailure();
    breaker.recordFailure();
    const snapshot = JSON.parse(JSON.stringify(breaker.toJSON()));
    expect(snapshot).toEqual({ state: 'open', openings: 1, openUntil: 5000 });
    const resumed = createCircuitBreaker({ restore: snapshot, clock: systemClock });
    expect(resumed.state).toBe('open');
    vi.setSystemTime(5000);
    expect(resumed.state).toBe('half-open');
    expect(() =>
      createCircuitBreaker({
        restore: { state: 'ajar' as never, openings: 0, openUntil: undefined },
      }),
    ).toThrow('restore.state must be');
  });
});

describe('failure policies', () => {
  it('count window: opens at the failure ratio once the minimum volume is reached', () => {
    const policy = countWindow({ threshold: 0.5, size: 4, minimumCalls: 4 });
    expect([policy.failure(0), policy.failure(0), policy.failure(0)]).toEqual([
      false,
      false,
      false,
    ]);
    policy.success(0);
    policy.reset();
    policy.success(0);
    policy.success(0);
    policy.failure(0);
    expect(policy.failure(0)).toBe(true); // 2 of 4
  });

  it('count window: only the last `size` calls count', () => {
    const policy = countWindow({ threshold: 0.75, size: 4, minimumCalls: 4 });
    policy.failure(0);
    policy.failure(0);
    policy.success(0);
    policy.success(0);
    policy.success(0); // pushes the first failure out
    expect(policy.failure(0)).toBe(false); // 2 of the last 4
  });

  it('count window: a minimum volume larger than the window is refused, a small window still opens', () => {
    expect(() => countWindow({ size: 5, minimumCalls: 6 })).toThrow('minimumCalls must be');
    const policy = countWindow({ size: 5 });
    expect([1, 2, 3, 4].map(() => policy.failure(0))).toEqual([false, false, false, false]);
    expect(policy.failure(0)).toBe(true);
  });

  it('time window: counts only calls inside the rolling window', () => {
    const policy = timeWindow({ threshold: 0.5, windowMs: 1000, buckets: 10, minimumCalls: 4 });
    policy.failure(0);
    policy.failure(50);
    policy.failure(100);
    policy.success(150);
    policy.success(1200);
    policy.success(1250);
    // The three early failures fell out of the window: 1 failure in 4 calls.
    policy.success(1300);
    expect(policy.failure(1350)).toBe(false);
    expect(policy.failure(1400)).toBe(false); // 2 of 5
    expect(policy.failure(1450)).toBe(true); // 3 of 6
  });
});
