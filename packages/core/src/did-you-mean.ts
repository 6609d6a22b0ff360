import { closestNames } from './closest-names.js';

/**
 * The known key `key` was most likely meant to be, or undefined: the one closest name of
 * {@link closestNames}, with its bounds (keys over 64 characters get no suggestion, at most two
 * edits, fewer for short keys: `ab` never suggests `tags`).
 */
export function didYouMean(key: string, candidates: readonly string[]): string | undefined {
  return closestNames(key, candidates, { limit: 1 })[0];
}
