import { systemClock } from '@mcpmx/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLruCache } from './lru-cache.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createLruCache', () => {
  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = createLruCache<number>({ maxEntries: 2, clock: systemClock });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('expires entries by TTL on the clock', () => {
    const cache = createLruCache<string>({ defaultTtlMs: 100, clock: systemClock });
    cache.set('a', 'x');
    cache.set('b', 'y', 500);
    vi.advanceTimersByTime(99);
    expect(cache.get('a')).toBe('x');
    vi.advanceTimersByTime(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('y');
    vi.advanceTimersByTime(400);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('delete and clear', () => {
    const cache = createLruCache<number>();
    cache.set('a', 1);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    cache.set('b', 2);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('never holds more than maxEntries and keeps the most recent keys (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }),
        (maxEntries, keys) => {
          const cache = createLruCache<number>({ maxEntries });
          for (const key of keys) cache.set(String(key), key);
          expect(cache.size).toBeLessThanOrEqual(maxEntries);
          const recent = [...new Set([...keys].reverse())].slice(0, maxEntries);
          for (const key of recent) expect(cache.get(String(key))).toBe(key);
        },
      ),
    );
  });

  it('names bad options', () => {
    expect(() => createLruCache({ maxEntries: 0 })).toThrow(/maxEntries must be an integer >= 1/);
    expect(() => createLruCache({ defaultTtlMs: -1 })).toThrow(/defaultTtlMs/);
  });
});
