import { checkNumber } from '@mcpmx/core';

/** Decides, from the outcomes it is told about, when a closed breaker should open. */
export interface FailurePolicy {
  readonly name: string;
  success(now: number): void;
  /** Returns true when the breaker should open. */
  failure(now: number): boolean;
  reset(): void;
}

/** Opens after `threshold` failures in a row. */
export function consecutiveFailures(threshold = 5): FailurePolicy {
  checkNumber('threshold', threshold, { min: 1, integer: true });
  let count = 0;
  return {
    name: `consecutive(${threshold})`,
    success: () => {
      count = 0;
    },
    failure: () => ++count >= threshold,
    reset: () => {
      count = 0;
    },
  };
}

export interface CountWindowOptions {
  /** Failure ratio (0..1] at which to open. Default 0.5. */
  threshold?: number;
  /** How many recent calls to look at. Default 20. */
  size?: number;
  /** No opening before this many calls are in the window; at most `size`. Default 10 (or `size` if smaller). */
  minimumCalls?: number;
}

/** Opens when at least `threshold` of the last `size` calls failed (with a minimum volume). */
export function countWindow(options: CountWindowOptions = {}): FailurePolicy {
  const threshold = checkNumber('threshold', options.threshold ?? 0.5, {
    min: 0,
    max: 1,
    exclusiveMin: true,
  });
  const size = checkNumber('size', options.size ?? 20, { min: 1, integer: true });
  const minimumCalls = checkNumber('minimumCalls', options.minimumCalls ?? Math.min(10, size), {
    min: 1,
    max: size,
    integer: true,
  });
  let outcomes: boolean[] = [];
  let failures = 0;
  const push = (failed: boolean) => {
    outcomes.push(failed);
    if (failed) failures++;
    if (outcomes.length > size && outcomes.shift()) failures--;
  };
  return {
    name: `count(${threshold}, ${size})`,
    success: () => push(false),
    failure: () => {
      push(true);
      return outcomes.length >= minimumCalls && failures / outcomes.length >= threshold;
    },
    reset: () => {
      outcomes = [];
      failures = 0;
    },
  };
}

export interface TimeWindowOptions {
  /** Failure ratio (0..1] at which to open. Default 0.5. */
  threshold?: number;
  /** Length of the rolling window. Default 10000 ms. */
  windowMs?: number;
  /** Buckets the window is divided into. Default 10. */
  buckets?: number;
  /** No opening before this many calls are in the window. Default 20. */
  minimumCalls?: number;
}

/**
 * Opens when, within the last `windowMs` (rolling buckets), at least `threshold` of the calls
 * failed and there were at least `minimumCalls` of them.
 */
export function timeWindow(options: TimeWindowOptions = {}): FailurePolicy {
  const threshold = checkNumber('threshold', options.threshold ?? 0.5, {
    min: 0,
    max: 1,
    exclusiveMin: true,
  });
  const windowMs = checkNumber('windowMs', options.windowMs ?? 10_000, {
    min: 0,
    exclusiveMin: true,
  });
  const bucketCount = checkNumber('buckets', options.buckets ?? 10, { min: 1, integer: true });
  const minimumCalls = checkNumber('minimumCalls', options.minimumCalls ?? 20, {
    min: 1,
    integer: true,
  });
  const bucketMs = windowMs / bucketCount;
  let buckets: { index: number; calls: number; failures: number }[] = [];

  const record = (now: number, failed: boolean) => {
    const index = Math.floor(now / bucketMs);
    buckets = buckets.filter((bucket) => bucket.index > index - bucketCount);
    let bucket = buckets.at(-1);
    if (!bucket || bucket.index !== index) {
      bucket = { index, calls: 0, failures: 0 };
      buckets.push(bucket);
    }
    bucket.calls++;
    if (failed) bucket.failures++;
  };
  return {
    name: `time(${threshold}, ${windowMs} ms)`,
    success: (now) => record(now, false),
    failure: (now) => {
      record(now, true);
      let calls = 0;
      let failures = 0;
      for (const bucket of buckets) {
        calls += bucket.calls;
        failures += bucket.failures;
      }
      return calls >= minimumCalls && failures / calls >= threshold;
    },
    reset: () => {
      buckets = [];
    },
  };
}
