import { type Cache, type Clock, checkNumber, systemClock } from '@mcpmx/core';
import { LRUMapWithDelete } from 'mnemonist';

/** Options for {@link createLruCache}. */
export interface LruCacheOptions {
  /** Most entries kept; the least recently used is evicted beyond it. Default 1000. */
  maxEntries?: number;
  /** TTL for `set` without one. Default: entries never expire by time. */
  defaultTtlMs?: number;
  /** Default: the system clock. */
  clock?: Clock;
}

const MISSING = Symbol('missing');

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A size-bounded LRU with per-entry TTL, implementing core's `Cache`. Expiry is checked on
 * read against the clock, so no timer runs and nothing needs closing.
 */
export function createLruCache<V>(options: LruCacheOptions = {}): Cache<V> {
  const maxEntries = checkNumber('maxEntries', options.maxEntries ?? 1000, {
    integer: true,
    min: 1,
  });
  const defaultTtlMs =
    options.defaultTtlMs === undefined
      ? Number.POSITIVE_INFINITY
      : checkNumber('defaultTtlMs', options.defaultTtlMs, { min: 0, exclusiveMin: true });
  const clock = options.clock ?? systemClock;
  const map = new LRUMapWithDelete<string, Entry<V>>(maxEntries);

  return {
    get(key) {
      const entry = map.get(key);
      if (!entry) return undefined;
      if (clock.now() >= entry.expiresAt) {
        map.remove(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, ttlMs) {
      const ttl = ttlMs === undefined ? defaultTtlMs : checkNumber('ttlMs', ttlMs, { min: 0 });
      if (ttl === 0) {
        map.remove(key);
        return;
      }
      map.set(key, { value, expiresAt: clock.now() + ttl });
    },
    delete(key) {
      return map.remove(key, MISSING) !== MISSING;
    },
    clear() {
      map.clear();
    },
    get size() {
      return map.size;
    },
  };
}
