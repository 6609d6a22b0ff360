import { describe, expect, it } from 'vitest';
import { ManualClock, NoTimerScheduledError } from './manual-clock.js';

describe('ManualClock', () => {
  it('fires timers and intervals in time order, each at its due time, only when advanced', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`timeout@${clock.now()}`), 250);
    const interval = clock.setInterval(() => fired.push(`tick@${clock.now()}`), 100);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(201);
    expect(fired).toEqual(['tick@100', 'tick@200', 'timeout@250', 'tick@300']);
    expect(clock.now()).toBe(300);
    clock.clearInterval(interval);
    expect(clock.pending()).toEqual([]);
    expect(clock.delays).toEqual([250]);
  });

  it('fireNext jumps to the earliest timer and returns its delay', () => {
    const clock = new ManualClock();
    clock.setTimeout(() => undefined, 500);
    clock.setTimeout(() => undefined, 200);
    expect(clock.fireNext()).toBe(200);
    expect(clock.now()).toBe(200);
    expect(clock.pending()).toEqual([500]);
    clock.fireNext();
    const error = (() => {
      try {
        clock.fireNext();
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(NoTimerScheduledError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('no timer is scheduled');
  });
});
