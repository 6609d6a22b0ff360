import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';
import { createOneShotTimer } from './one-shot-timer.js';

describe('createOneShotTimer', () => {
  it('runs the task once after its delay; a new schedule replaces the pending one', () => {
    const clock = new ManualClock();
    const timer = createOneShotTimer(clock);
    const runs: string[] = [];
    timer.schedule(100, () => runs.push('first'));
    clock.advance(60);
    timer.schedule(100, () => runs.push('second'));
    expect(timer.pending).toBe(true);
    clock.advance(99);
    expect(runs).toEqual([]);
    clock.advance(1);
    expect(runs).toEqual(['second']);
    expect(timer.pending).toBe(false);
    clock.advance(1000);
    expect(runs).toEqual(['second']);
    expect(clock.pending()).toEqual([]);
  });

  it('cancel drops what is pending and leaves no timer behind', () => {
    const clock = new ManualClock();
    const timer = createOneShotTimer(clock);
    let ran = false;
    timer.schedule(10, () => {
      ran = true;
    });
    timer.cancel();
    timer.cancel();
    clock.advance(100);
    expect(ran).toBe(false);
    expect(timer.pending).toBe(false);
    expect(clock.pending()).toEqual([]);
  });

  it('a task may schedule the next run', () => {
    const clock = new ManualClock();
    const timer = createOneShotTimer(clock);
    let ticks = 0;
    const tick = () => {
      ticks++;
      if (ticks < 3) timer.schedule(50, tick);
    };
    timer.schedule(50, tick);
    clock.advance(500);
    expect(ticks).toBe(3);
    expect(timer.pending).toBe(false);
  });
});
