import {
  type Clock,
  checkNumber,
  InvalidOptionError,
  systemClock,
  type TimerHandle,
} from '@mcpmx/core';
import {
  FanOutFailedError,
  LostRaceError,
  TargetFailedError,
  TargetTimeoutError,
} from './fan-out-errors.js';

/** How a fan-out decides it is done. */
export type FanOutStrategy = 'all' | 'all-settled' | 'first-success' | { quorum: number };

/** Options for {@link fanOut}. */
export interface FanOutOptions {
  /** Default `'all-settled'`. */
  strategy?: FanOutStrategy;
  /** Each target's own time limit; on expiry its signal aborts and it counts as failed. */
  perTargetTimeoutMs?: number;
  /**
   * first-success only: start the next target only after this delay (or at once when the
   * previous one failed). Without it every target starts at once.
   */
  hedgeDelayMs?: number;
  /** Aborts every running target and rejects the fan-out with the signal's reason. */
  signal?: AbortSignal;
  /** Default: the system clock. */
  clock?: Clock;
}

/** The outcome of one target. */
export type TargetResult<T> =
  | { target: string; ok: true; value: T; durationMs: number }
  | { target: string; ok: false; error: unknown; durationMs: number };

/** What a fan-out resolves to. */
export interface FanOutResult<T> {
  /** Every target that settled before the fan-out did, in target order. */
  results: TargetResult<T>[];
  /** The successful values, in target order. */
  values: T[];
  /** first-success: the target whose value won. */
  winner?: string;
}

/** A call made against one target; it should honour `signal`. */
export type TargetCall<T> = (target: string, signal: AbortSignal) => Promise<T>;

/**
 * Calls `call` for each target under a strategy. Targets still running when the fan-out
 * settles have their signals aborted (with the caller's abort reason, or an `MCPMX_CANCELLED`
 * error when they lost), and no timer outlives the returned promise. Invalid options throw
 * {@link InvalidOptionError} synchronously.
 */
export function fanOut<T>(
  targets: readonly string[],
  call: TargetCall<T>,
  options: FanOutOptions = {},
): Promise<FanOutResult<T>> {
  const strategy = options.strategy ?? 'all-settled';
  const clock = options.clock ?? systemClock;
  const timeoutMs =
    options.perTargetTimeoutMs === undefined
      ? undefined
      : checkNumber('perTargetTimeoutMs', options.perTargetTimeoutMs, {
          min: 0,
          exclusiveMin: true,
        });
  const hedgeDelayMs =
    options.hedgeDelayMs === undefined
      ? undefined
      : checkNumber('hedgeDelayMs', options.hedgeDelayMs, { min: 0 });
  if (!Array.isArray(targets) || targets.some((target) => typeof target !== 'string')) {
    throw new InvalidOptionError('targets', 'an array of target names (strings)', targets);
  }
  if (typeof call !== 'function') {
    throw new InvalidOptionError('call', 'a function (target, signal) => Promise', call);
  }
  if (new Set(targets).size !== targets.length) {
    throw new InvalidOptionError('targets', 'a list of distinct names', targets);
  }
  let needed: number;
  if (strategy === 'all' || strategy === 'all-settled') needed = targets.length;
  else if (strategy === 'first-success') needed = 1;
  else if (typeof strategy === 'object' && strategy !== null && 'quorum' in strategy) {
    needed = checkNumber('strategy.quorum', strategy.quorum, {
      integer: true,
      min: 1,
      max: Math.max(1, targets.length),
    });
  } else {
    throw new InvalidOptionError(
      'strategy',
      "'all', 'all-settled', 'first-success' or { quorum: k }",
      strategy,
    );
  }
  if (strategy !== 'first-success' && hedgeDelayMs !== undefined) {
    throw new InvalidOptionError(
      'hedgeDelayMs',
      "used only with strategy 'first-success'",
      hedgeDelayMs,
    );
  }

  return new Promise<FanOutResult<T>>((resolve, reject) => {
    const parent = options.signal;
    if (parent?.aborted) {
      reject(parent.reason);
      return;
    }
    if (targets.length === 0) {
      if (strategy === 'all' || strategy === 'all-settled') resolve({ results: [], values: [] });
      else reject(new FanOutFailedError('fan-out had no targets', new Map()));
      return;
    }
    const settled = new Map<string, TargetResult<T>>();
    const running = new Map<string, (reason?: unknown) => void>();
    let started = 0;
    let successes = 0;
    let failures = 0;
    let done = false;
    let hedgeTimer: TimerHandle | undefined;

    const ordered = () => targets.flatMap((target) => settled.get(target) ?? []);
    const finish = (outcome: { value?: FanOutResult<T>; error?: unknown }, reason?: unknown) => {
      if (done) return;
      done = true;
      clock.clearTimeout(hedgeTimer);
      parent?.removeEventListener('abort', onParentAbort);
      for (const cancel of [...running.values()]) cancel(reason);
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.value as FanOutResult<T>);
    };
    const succeed = (winner?: string) => {
      const results = ordered();
      const values = results.flatMap((result) => (result.ok ? [result.value] : []));
      finish({ value: winner === undefined ? { results, values } : { results, values, winner } });
    };
    const failedErrors = () =>
      new Map(ordered().flatMap((r) => (r.ok ? [] : [[r.target, r.error] as const])));

    function onParentAbort() {
      finish({ error: parent?.reason }, parent?.reason);
    }
    parent?.addEventListener('abort', onParentAbort, { once: true });

    const onSettled = (result: TargetResult<T>) => {
      if (done) return;
      settled.set(result.target, result);
      if (result.ok) successes++;
      else failures++;
      if (strategy === 'all-settled') {
        if (settled.size === targets.length) succeed();
      } else if (strategy === 'all') {
        if (!result.ok) finish({ error: new TargetFailedError(result.target, result.error) });
        else if (successes === targets.length) succeed();
      } else if (strategy === 'first-success') {
        if (result.ok) succeed(result.target);
        else if (failures === targets.length)
          finish({ error: new FanOutFailedError('every fan-out target failed', failedErrors()) });
        else if (started < targets.length && running.size === 0) launchNext();
        else if (hedgeDelayMs !== undefined && started < targets.length) launchNext();
      } else {
        if (successes >= needed) succeed();
        else if (targets.length - failures < needed)
          finish({
            error: new FanOutFailedError(
              `quorum of ${needed} of ${targets.length} can no longer be reached`,
              failedErrors(),
            ),
          });
      }
    };

    const launch = (target: string) => {
      started++;
      const controller = new AbortController();
      const startedAt = clock.now();
      let timer: TimerHandle | undefined;
      let finished = false;
      const settle = (result: { ok: true; value: T } | { ok: false; error: unknown }) => {
        if (finished) return;
        finished = true;
        clock.clearTimeout(timer);
        running.delete(target);
        const durationMs = clock.now() - startedAt;
        onSettled(
          result.ok
            ? { target, ok: true, value: result.value, durationMs }
            : { target, ok: false, error: result.error, durationMs },
        );
      };
      running.set(target, (reason) => {
        if (finished) return;
        finished = true;
        clock.clearTimeout(timer);
        running.delete(target);
        controller.abort(reason ?? new LostRaceError(target));
      });
      if (timeoutMs !== undefined) {
        timer = clock.setTimeout(() => {
          const error = new TargetTimeoutError(target, timeoutMs);
          controller.abort(error);
          settle({ ok: false, error });
        }, timeoutMs);
      }
      let promise: Promise<T>;
      try {
        promise = Promise.resolve(call(target, controller.signal));
      } catch (error) {
        promise = Promise.reject(error);
      }
      promise.then(
        (value) => settle({ ok: true, value }),
        (error: unknown) => settle({ ok: false, error }),
      );
    };

    function launchNext() {
      clock.clearTimeout(hedgeTimer);
      hedgeTimer = undefined;
      const target = targets[started];
      if (target === undefined || done) return;
      launch(target);
      if (hedgeDelayMs !== undefined && started < targets.length && !done) {
        hedgeTimer = clock.setTimeout(launchNext, hedgeDelayMs);
      }
    }

    if (strategy === 'first-success' && hedgeDelayMs !== undefined) launchNext();
    else for (const target of targets) if (!done) launch(target);
  });
}
