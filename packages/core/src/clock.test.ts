import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fullJitterDelay, resolveBackoff } from './backoff.js';
import { delay, systemClock } from './clock.js';
import { createSeededRandom } from './random.js';

describe('systemClock and delay', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('follows fake timers installed after import', async () => {
    const start = systemClock.now();
    const done = vi.fn();
    void delay(systemClock, 500).then(done);
    await vi.advanceTimersByTimeAsync(499);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toHaveBeenCalled();
    expect(systemClock.now() - start).toBe(500);
  });

  it('rejects with the abort reason and clears its timer', async () => {
    const controller = new AbortController();
    const pending = delay(systemClock, 10_000, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('seeded random and full-jitter backoff', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('stays within [0, min(max, initial*factor^attempt)]', () => {
    const options = resolveBackoff({ initialMs: 100, factor: 2, maxMs: 1000 });
    const random = createSeededRandom(7);
    for (let attempt = 0; attempt < 10; attempt++) {
      for (let i = 0; i < 50; i++) {
        const ms = fullJitterDelay(attempt, options, random);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** attempt));
      }
    }
    expect(() => resolveBackoff({ initialMs: 10, maxMs: 5 })).toThrow(
      'backoff.maxMs must be >= initialMs (10) (got 5)',
    );
  });
});
