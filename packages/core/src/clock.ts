/**
 * Every timer and clock read in mcpmx goes through a Clock, so tests can use fake timers.
 * The system clock reads `Date.now()` and the global timer functions at call time, which is
 * what `vi.useFakeTimers()` replaces.
 */

export interface TimerHandle {
  /** Lets the process exit while this timer is pending. Returns the handle. */
  unref(): TimerHandle;
}

export interface Clock {
  /** Milliseconds since an arbitrary epoch; only differences are meaningful. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

class NodeTimer implements TimerHandle {
  constructor(readonly raw: ReturnType<typeof globalThis.setTimeout>) {}
  unref(): TimerHandle {
    (this.raw as { unref?: () => void }).unref?.();
    return this;
  }
}

/** The real clock. Reads globals lazily so fake timers installed after import still apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => new NodeTimer(globalThis.setTimeout(callback, ms)),
  clearTimeout: (handle) => {
    if (handle) globalThis.clearTimeout((handle as NodeTimer).raw);
  },
  setInterval: (callback, ms) => new NodeTimer(globalThis.setInterval(callback, ms)),
  clearInterval: (handle) => {
    if (handle) globalThis.clearInterval((handle as NodeTimer).raw);
  },
};

/**
 * Resolves after `ms` on `clock`, or rejects with the signal's reason when `signal` aborts.
 * The timer is unref'd only when `unref` is true.
 */
export function delay(
  clock: Clock,
  ms: number,
  options: { signal?: AbortSignal; unref?: boolean } = {},
): Promise<void> {
  const { signal } = options;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (options.unref) timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
