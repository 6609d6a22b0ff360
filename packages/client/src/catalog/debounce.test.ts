import { ManualClock } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { createDebouncer } from './debounce.js';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createDebouncer', () => {
  it('runs once, waitMs after the last call of a burst', async () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    const debouncer = createDebouncer(clock, 100, 10_000, async () => {
      runs.push(clock.now());
    });
    debouncer.schedule();
    clock.advance(60);
    debouncer.schedule();
    clock.advance(99);
    expect(runs).toEqual([]);
    clock.advance(1);
    expect(runs).toEqual([160]);
  });

  it('a storm of calls faster than waitMs still runs every maxWaitMs (bug: frozen catalog)', async () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    const debouncer = createDebouncer(clock, 100, 1000, async () => {
      runs.push(clock.now());
    });
    // 100 calls a second for 20 s: a pure trailing debounce would never run.
    for (let t = 0; t < 20_000; t += 10) {
      debouncer.schedule();
      clock.advance(10);
      await settle();
    }
    expect(runs.length).toBeGreaterThanOrEqual(19);
    expect(runs[0]).toBe(1000);
    for (let i = 1; i < runs.length; i++) {
      expect((runs[i] as number) - (runs[i - 1] as number)).toBeLessThanOrEqual(1010);
    }
  });

  it('runs again after a run that overlapped a new call', async () => {
    const clock = new ManualClock();
    let release: () => void = () => undefined;
    let runs = 0;
    const debouncer = createDebouncer(clock, 10, 1000, async () => {
      runs++;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    debouncer.schedule();
    clock.advance(10);
    expect(runs).toBe(1);
    debouncer.schedule(); // arrives while the first run is still going
    clock.advance(10);
    expect(runs).toBe(1);
    release();
    await settle();
    clock.advance(10);
    expect(runs).toBe(2);
  });

  it('cancel drops what is pending', async () => {
    const clock = new ManualClock();
    let runs = 0;
    const debouncer = createDebouncer(clock, 10, 1000, async () => {
      runs++;
    });
    debouncer.schedule();
    debouncer.cancel();
    clock.advance(5000);
    expect(runs).toBe(0);
  });
});
