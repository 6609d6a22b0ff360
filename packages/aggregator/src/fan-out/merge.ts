import { InvalidOptionError } from '@mcpmx/core';

/** How {@link mergeLists} resolves two items with the same key. */
export type MergeConflict<T> = 'first-wins' | 'last-wins' | ((existing: T, incoming: T) => T);

/** Options for {@link mergeLists}. */
export interface MergeOptions<T> {
  /** The dedupe key of an item. */
  key: (item: T) => string;
  /** Default `'first-wins'`. */
  onConflict?: MergeConflict<T>;
}

/**
 * Concatenates list-shaped results and removes duplicates by key. Order is the order in which
 * each key was first seen; a later item replaces an earlier one only under `last-wins` or a
 * custom resolver.
 */
export function mergeLists<T>(lists: readonly (readonly T[])[], options: MergeOptions<T>): T[] {
  if (typeof options?.key !== 'function') {
    throw new InvalidOptionError('key', 'a function returning an item key', options?.key);
  }
  const conflict = options.onConflict ?? 'first-wins';
  if (typeof conflict !== 'function' && conflict !== 'first-wins' && conflict !== 'last-wins') {
    throw new InvalidOptionError('onConflict', "'first-wins', 'last-wins' or a function", conflict);
  }
  const merged = new Map<string, T>();
  for (const list of lists) {
    for (const item of list) {
      const key = options.key(item);
      if (!merged.has(key)) merged.set(key, item);
      else if (conflict === 'last-wins') merged.set(key, item);
      else if (typeof conflict === 'function')
        merged.set(key, conflict(merged.get(key) as T, item));
    }
  }
  return [...merged.values()];
}
