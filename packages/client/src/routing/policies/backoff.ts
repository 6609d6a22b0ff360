import { type BackoffOptions, InvalidOptionError } from '@mcpmx/core';

/**
 * How long to wait between attempts: a strategy the retry policy hands to p-retry, which does
 * the waiting. Delay n (from 1) is `min(maxTimeout, minTimeout * factor^(n-1))`, times a random
 * factor in [1, 2) when `randomize` is on.
 */
export interface BackoffStrategy {
  readonly delays: {
    readonly minTimeout: number;
    readonly factor: number;
    readonly maxTimeout: number;
    readonly randomize: boolean;
  };
}

/** Exponential backoff, randomized by default so that retries of many callers spread out. */
export function exponentialBackoff(
  options: BackoffOptions & { randomize?: boolean } = {},
): BackoffStrategy {
  const minTimeout = options.initialMs ?? 25;
  const factor = options.factor ?? 2;
  const maxTimeout = options.maxMs ?? 1000;
  if (!(minTimeout >= 0))
    throw new InvalidOptionError('retry.backoff.initialMs', '>= 0', minTimeout);
  if (!(factor >= 1)) throw new InvalidOptionError('retry.backoff.factor', '>= 1', factor);
  if (!(maxTimeout >= minTimeout)) {
    throw new InvalidOptionError('retry.backoff.maxMs', `>= initialMs (${minTimeout})`, maxTimeout);
  }
  return { delays: { minTimeout, factor, maxTimeout, randomize: options.randomize ?? true } };
}

/** The same wait before every retry. */
export function constantBackoff(delayMs: number): BackoffStrategy {
  if (!(delayMs >= 0)) throw new InvalidOptionError('retry.backoff', 'a delay >= 0 ms', delayMs);
  return { delays: { minTimeout: delayMs, factor: 1, maxTimeout: delayMs, randomize: false } };
}

/** A strategy as given, or one built from BackoffOptions. */
export function resolveBackoffStrategy(
  backoff: BackoffStrategy | BackoffOptions | undefined,
): BackoffStrategy {
  if (backoff !== undefined && 'delays' in backoff) return backoff;
  return exponentialBackoff(backoff);
}
