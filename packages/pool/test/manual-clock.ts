import type { Clock, TimerHandle } from '@mcpmx/core';

interface Scheduled {
  at: number;
  every: number | undefined;
  callback: () => void;
}

/**
 * A Clock that only moves when told to. Given to the pool alone, it fakes the pool's timing
 * rules (backoff, eviction, health checks, acquire timeouts) while the servers and the SDK keep
 * real time and real I/O. `delays` records every setTimeout the pool asked for.
 */
export class ManualClock implements Clock {
  private time = 0;
  private readonly timers = new Map<TimerHandle, Scheduled>();
  readonly delays: number[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    this.delays.push(ms);
    return this.schedule({ at: this.time + ms, every: undefined, callback });
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    return this.schedule({ at: this.time + ms, every: ms, callback });
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle);
  }

  /** Timers still scheduled: a pool that closed cleanly leaves none. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      let next: [TimerHandle, Scheduled] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      const [handle, timer] = next;
      this.time = timer.at;
      if (timer.every === undefined) this.timers.delete(handle);
      else timer.at += timer.every;
      timer.callback();
    }
    this.time = until;
  }

  private schedule(timer: Scheduled): TimerHandle {
    const handle: TimerHandle = { unref: () => handle };
    this.timers.set(handle, timer);
    return handle;
  }
}
