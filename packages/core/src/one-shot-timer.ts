import type { Clock, TimerHandle } from './clock.js';

/** One pending timeout at a time, on a Clock. */
export interface OneShotTimer {
  /** Runs `task` after `ms`, replacing whatever was pending. */
  schedule(ms: number, task: () => void): void;
  /** Drops what is pending, if anything. */
  cancel(): void;
  readonly pending: boolean;
}

/**
 * A timeout that is rescheduled rather than stacked: a refresh loop's next tick, a retry's
 * backoff, a debounce. Its timers are unref'd, so a pending one never keeps the process alive.
 */
export function createOneShotTimer(clock: Clock): OneShotTimer {
  let handle: TimerHandle | undefined;
  return {
    schedule(ms, task) {
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = clock
        .setTimeout(() => {
          handle = undefined;
          task();
        }, ms)
        .unref();
    },
    cancel() {
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
    },
    get pending() {
      return handle !== undefined;
    },
  };
}
