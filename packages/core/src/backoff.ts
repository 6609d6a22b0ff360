import { InvalidOptionError } from './errors.js';
import type { Random } from './random.js';

export interface BackoffOptions {
  /** First delay before jitter, in ms. Default 1000. */
  initialMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Cap on the delay before jitter, in ms. Default 30000. */
  maxMs?: number;
}

/** The defaults of every backoff option (frozen: changing them cannot change every default). */
export const DEFAULT_BACKOFF: Readonly<Required<BackoffOptions>> = Object.freeze({
  initialMs: 1000,
  factor: 2,
  maxMs: 30_000,
});

export function resolveBackoff(
  options: BackoffOptions = {},
  prefix = 'backoff',
): Required<BackoffOptions> {
  const resolved = { ...DEFAULT_BACKOFF, ...options };
  if (!(resolved.initialMs > 0))
    throw new InvalidOptionError(`${prefix}.initialMs`, '> 0', resolved.initialMs);
  if (!(resolved.factor >= 1))
    throw new InvalidOptionError(`${prefix}.factor`, '>= 1', resolved.factor);
  if (!(resolved.maxMs >= resolved.initialMs)) {
    throw new InvalidOptionError(
      `${prefix}.maxMs`,
      `>= initialMs (${resolved.initialMs})`,
      resolved.maxMs,
    );
  }
  return resolved;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog): a uniform draw in
 * [0, min(max, initial * factor^attempt)]. `attempt` counts from 0.
 */
export function fullJitterDelay(
  attempt: number,
  options: Required<BackoffOptions>,
  random: Random,
): number {
  const ceiling = Math.min(
    options.maxMs,
    options.initialMs * options.factor ** Math.max(0, attempt),
  );
  return Math.round(random.next() * ceiling);
}
