import { systemClock } from '@mcpmx/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDebouncer } from './debounce.js';

describe('createDebouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once, waitMs after the last call of a burst', async () => {
    const runs: number[] = [];
    const debouncer = createDebouncer(systemClock, 100, async () => {
      runs.push(Date.now());
    });
    const start = Date.now();
    debouncer.schedule();
    await vi.advanceTimersByTimeAsync(60);
    debouncer.schedule();
    await vi.advanceTimersByTimeAsync(99);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([start + 160]);
  });

  it('runs again after a run that overlapped a new call', async () => {
    let release: () => void = () => undefined;
    let runs = 0;
    const debouncer = createDebouncer(systemClock, 10, async () => {
      runs++;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    debouncer.schedule();
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toBe(1);
    debouncer.schedule();
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toBe(2);
  });

  it('cancel drops a pending run', async () => {
    let runs = 0;
    const debouncer = createDebouncer(systemClock, 10, async () => {
      runs++;
    });
    debouncer.schedule();
    debouncer.cancel();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
