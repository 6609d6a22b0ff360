import type { Clock, TimerHandle } from '@mcpmx/core';

/** A Clock whose timers fire only when the test says so; it records each timer's delay. */
export class ManualClock implements Clock {
  private time = 0;
  private readonly timers = new Map<
    TimerHandle,
    { at: number; ms: number; callback: () => void }
  >();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const handle: TimerHandle = { unref: () => handle };
    this.timers.set(handle, { at: this.time + ms, ms, callback });
    return handle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle);
  }

  setInterval(): TimerHandle {
    throw new Error('ManualClock does not support setInterval');
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  /** Delays of the pending timers. */
  pending(): number[] {
    return [...this.timers.values()].map((timer) => timer.ms);
  }

  /** Moves time to the earliest pending timer and fires it; returns its delay. */
  fireNext(): number {
    const next = [...this.timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
    if (!next) throw new Error('no pending timer');
    this.timers.delete(next[0]);
    this.time = next[1].at;
    next[1].callback();
    return next[1].ms;
  }
}
