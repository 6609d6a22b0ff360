import type { Clock, TimerHandle } from '@mcpmx/core';

interface Pending {
  at: number;
  ms: number;
  callback: () => void;
  handle: TimerHandle;
}

/** A hand-driven Clock for tests: timers fire only in `advance()`. */
export function createManualClock(): Clock & {
  advance(ms: number): void;
  pending(): readonly { ms: number }[];
} {
  let now = 0;
  const timers: Pending[] = [];
  const clear = (handle: TimerHandle | undefined) => {
    const position = timers.findIndex((timer) => timer.handle === handle);
    if (position >= 0) timers.splice(position, 1);
  };
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const handle: TimerHandle = { unref: () => handle };
      timers.push({ at: now + ms, ms, callback, handle });
      return handle;
    },
    clearTimeout: clear,
    setInterval() {
      throw new Error('not used');
    },
    clearInterval: clear,
    advance(ms) {
      now += ms;
      for (;;) {
        const due = timers.filter((timer) => timer.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) return;
        clear(due.handle);
        due.callback();
      }
    },
    pending: () => timers.map(({ ms }) => ({ ms })),
  };
}

/** Lets queued promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}
