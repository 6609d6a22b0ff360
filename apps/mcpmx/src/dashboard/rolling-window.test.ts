import { createSeededRandom } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { createRollingWindow } from './rolling-window.js';

const make = (maxSamplesPerInterval = 512) =>
  createRollingWindow({
    intervalMs: 1000,
    intervals: 3,
    maxSamplesPerInterval,
    random: createSeededRandom(7),
  });

describe('rolling window', () => {
  it('summarises each completed interval, oldest first; the current one is left out', () => {
    const window = make();
    for (let i = 1; i <= 100; i++) window.record(1000 + i, i, i % 10 === 0);
    window.record(2500, 7, false);
    window.record(3100, 1, false); // the current interval at now = 3200
    expect(window.summaries(3200)).toEqual([
      { start: 0, count: 0, errors: 0, p50: null, p99: null },
      { start: 1000, count: 100, errors: 10, p50: 50, p99: 99 },
      { start: 2000, count: 1, errors: 0, p50: 7, p99: 7 },
    ]);
  });

  it('forgets intervals that left the window, and reuses their slots', () => {
    const window = make();
    window.record(100, 10, false);
    window.record(4100, 20, false); // same ring slot as 100, four intervals later
    expect(window.summaries(5000).map((s) => s.count)).toEqual([0, 0, 1]);
    expect(window.summaries(5000)[2]?.p50).toBe(20);
    expect(window.summaries(9000).every((s) => s.count === 0)).toBe(true);
  });

  it('keeps at most maxSamplesPerInterval latencies, still counting every request', () => {
    const window = make(16);
    for (let i = 0; i < 10_000; i++) window.record(500, i % 100, false);
    const [summary] = window.summaries(1000).slice(-1);
    expect(summary?.count).toBe(10_000);
    expect(summary?.p50).toBeGreaterThanOrEqual(0);
    expect(summary?.p99).toBeLessThan(100);
  });
});
