import { type Clock, createOneShotTimer } from '@mcpmx/core';

/**
 * Coalesces bursts: `schedule()` runs `task` once, `waitMs` after the last call of a burst.
 * A task that is running when more calls arrive runs again after it finishes, so the last
 * change is never missed. `cancel()` drops what is pending.
 */
export function createDebouncer(clock: Clock, waitMs: number, task: () => Promise<void>) {
  const timer = createOneShotTimer(clock);
  let running: Promise<void> | undefined;
  let again = false;

  const run = async () => {
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

  const schedule = () => timer.schedule(waitMs, () => void run());

  return {
    schedule,
    /** Resolves when nothing is running (what is pending still is). */
    idle: async () => {
      while (running) await running;
    },
    cancel: () => {
      timer.cancel();
      again = false;
    },
  };
}
