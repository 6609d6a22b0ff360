import type { Clock, TimerHandle } from './clock.js';
import { McpmxError } from './errors.js';

/** `ManualClock.fireNext()` was called while no timer was scheduled. */
export class NoTimerScheduledError extends McpmxError {
  static override readonly errorCode = 'MCPMX_NO_TIMER_SCHEDULED' as const;
  constructor() {
    super(
      'MCPMX_NO_TIMER_SCHEDULED',
      'ManualClock.fireNext(): no timer is scheduled, so there is nothing to fire. ' +
        'Check pending() first, or move time with advance(ms).',
    );
    this.name = 'NoTimerScheduledError';
  }
}

interface Scheduled {
  at: number;
  /** The delay or period it was scheduled with. */
  ms: number;
  every: number | undefined;
  callback: () => void;
}

/**
 * A Clock that only moves when told to, for tests of timing rules. Given to one component, it
 * fakes that component's timers (backoff, eviction, refresh, timeouts) while everything else,
 * I/O included, keeps real time. Timers fire in time order, each at its exact due time.
 */
export class ManualClock implements Clock {
  private time = 0;
  private readonly timers = new Map<TimerHandle, Scheduled>();
  /** The delay of every setTimeout ever requested, in order. */
  readonly delays: number[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    this.delays.push(ms);
    return this.schedule({ at: this.time + ms, ms, every: undefined, callback });
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    return this.schedule({ at: this.time + ms, ms, every: ms, callback });
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle);
  }

  /** Delays (or periods) of the timers still scheduled: a clean shutdown leaves none. */
  pending(): number[] {
    return [...this.timers.values()].map((timer) => timer.ms);
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (let next = this.earliest(until); next; next = this.earliest(until)) this.fire(next);
    this.time = until;
  }

  /**
   * Moves time to the earliest timer and fires it; returns its delay. Throws
   * {@link NoTimerScheduledError} when no timer is scheduled.
   */
  fireNext(): number {
    const next = this.earliest(Number.POSITIVE_INFINITY);
    if (!next) throw new NoTimerScheduledError();
    this.fire(next);
    return next[1].ms;
  }

  private earliest(until: number): [TimerHandle, Scheduled] | undefined {
    let found: [TimerHandle, Scheduled] | undefined;
    for (const entry of this.timers) {
      if (entry[1].at <= until && (!found || entry[1].at < found[1].at)) found = entry;
    }
    return found;
  }

  private fire([handle, timer]: [TimerHandle, Scheduled]): void {
    this.time = timer.at;
    if (timer.every === undefined) this.timers.delete(handle);
    else timer.at += timer.every;
    timer.callback();
  }

  private schedule(timer: Scheduled): TimerHandle {
    const handle: TimerHandle = { unref: () => handle };
    this.timers.set(handle, timer);
    return handle;
  }
}
