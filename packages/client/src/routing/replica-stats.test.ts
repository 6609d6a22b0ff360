import { describe, expect, it } from 'vitest';
import { LATENCY_DECAY_MS, ReplicaCounters } from './replica-stats.js';

describe('ReplicaCounters', () => {
  it('counts outcomes and keeps a time-weighted latency EWMA', () => {
    const counters = new ReplicaCounters();
    counters.record(true, 100, 0);
    counters.record(false, 200, LATENCY_DECAY_MS); // one decay constant: the old value keeps 1/e
    const stats = counters.snapshot();
    expect(stats).toMatchObject({ successes: 1, errors: 1, lastLatencyMs: 200 });
    expect(stats.ewmaLatencyMs).toBeCloseTo(100 * Math.exp(-1) + 200 * (1 - Math.exp(-1)), 6);
  });
});
