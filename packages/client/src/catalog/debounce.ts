import type { Clock, TimerHandle } from '@mcpmx/core';

/**
 * Coalesces bursts: `schedule()` runs `task` once, `waitMs` after the last call of a burst.
 * A task that is running when more calls arrive runs again after it finishes, so the last
 * change is never missed. `cancel()` drops what is pending.
 */
export function createDebouncer(clock: Clock, waitMs: number, task: () => Promise<void>) {
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const run = async () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = task()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule();
        }
      });
  };

  const schedule = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = clock.setTimeout(() => void run(), waitMs);
    timer.unref();
  };

  return {
    schedule,
    /** Resolves when nothing is running (what is pending still is). */
    idle: async () => {
      while (running) await running;
    },
    cancel: () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      again = false;
    },
  };
}
