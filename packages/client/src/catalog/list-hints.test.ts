import { describe, expect, it } from 'vitest';
import { combineHints, hintOfPage } from './list-hints.js';

describe('list caching hints (2026-07-28 ttlMs / cacheScope)', () => {
  it('reads a valid hint and treats an unknown scope as private', () => {
    expect(hintOfPage({ tools: [], ttlMs: 500, cacheScope: 'public' })).toEqual({
      ttlMs: 500,
      cacheScope: 'public',
    });
    expect(hintOfPage({ tools: [], ttlMs: 0, cacheScope: 'shared-ish' })).toEqual({
      ttlMs: 0,
      cacheScope: 'private',
    });
  });

  it('ignores a missing or invalid ttlMs', () => {
    expect(hintOfPage({ tools: [] })).toBeUndefined();
    expect(hintOfPage({ tools: [], ttlMs: -1 })).toBeUndefined();
    expect(hintOfPage({ tools: [], ttlMs: 1.5 })).toBeUndefined();
    expect(hintOfPage({ tools: [], ttlMs: '100' })).toBeUndefined();
  });

  it('combines to the shorter lifetime, private if either is, nothing if one has none', () => {
    const a = { ttlMs: 1000, cacheScope: 'public' as const };
    const b = { ttlMs: 200, cacheScope: 'private' as const };
    expect(combineHints(a, b)).toEqual({ ttlMs: 200, cacheScope: 'private' });
    expect(combineHints(a, a)).toEqual(a);
    expect(combineHints(a, undefined)).toBeUndefined();
  });
});
