import { type Clock, createOneShotTimer } from '@mcpmx/core';

/**
 * Coalesces bursts: `schedule()` runs `task` once, `waitMs` after the last call of a burst, but
 * never later than `maxWaitMs` after the first call of the burst, so a source that never goes
 * quiet (list_changed many times a second) is still followed. A task that is running when more
 * calls arrive runs again after it finishes, so the last change is never missed. `cancel()`
 * drops what is pending.
 */
export function createDebouncer(
  clock: Clock,
  waitMs: number,
  maxWaitMs: number,
  task: () => Promise<void>,
) {
  const timer = createOneShotTimer(clock);
  let running = false;
  let again = false;
  /** When the pending burst began; undefined while nothing is pending. */
  let burstStarted: number | undefined;

  const run = () => {
    burstStarted = undefined;
    if (running) {
      again = true;
      return;
    }
    running = true;
    void task()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          schedule();
        }
      });
  };

  const schedule = () => {
    const now = clock.now();
    burstStarted ??= now;
    const latest = burstStarted + maxWaitMs;
    timer.schedule(Math.max(0, Math.min(waitMs, latest - now)), run);
  };

  return {
    schedule,
    cancel: () => {
      timer.cancel();
      again = false;
      burstStarted = undefined;
    },
  };
}
