import { systemClock } from '@mcpmx/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createListCache } from './list-cache.js';
import { createLruCache } from './lru-cache.js';

type Page = { tools: string[]; ttlMs?: number; cacheScope?: string };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const alice = { sessionId: 's1', userId: 'alice' };
const aliceOther = { sessionId: 's2', userId: 'alice' };
const bob = { sessionId: 's3', userId: 'bob' };

describe('createListCache', () => {
  it('honours ttlMs', () => {
    const lists = createListCache<Page>({ cache: createLruCache({ clock: systemClock }) });
    expect(
      lists.set('s', 'tools', undefined, { tools: ['a'], ttlMs: 100, cacheScope: 'public' }, alice),
    ).toBe(true);
    vi.advanceTimersByTime(99);
    expect(lists.get('s', 'tools', undefined, bob)?.tools).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(lists.get('s', 'tools', undefined, bob)).toBeUndefined();
  });

  it('does not cache ttlMs 0 or pages without hints by default', () => {
    const lists = createListCache<Page>({ cache: createLruCache() });
    expect(lists.set('s', 'tools', undefined, { tools: [], ttlMs: 0 }, alice)).toBe(false);
    expect(lists.set('s', 'tools', undefined, { tools: [] }, alice)).toBe(false);
    expect(lists.get('s', 'tools', undefined, alice)).toBeUndefined();
  });

  it('keeps private pages to one user and session pages to one session', () => {
    const lists = createListCache<Page>({ cache: createLruCache() });
    lists.set('s', 'tools', undefined, { tools: ['p'], ttlMs: 1000, cacheScope: 'private' }, alice);
    expect(lists.get('s', 'tools', undefined, aliceOther)?.tools).toEqual(['p']);
    expect(lists.get('s', 'tools', undefined, bob)).toBeUndefined();
    lists.set('s', 'prompts', 'c1', { tools: ['q'], ttlMs: 1000, cacheScope: 'session' }, alice);
    expect(lists.get('s', 'prompts', 'c1', alice)?.tools).toEqual(['q']);
    expect(lists.get('s', 'prompts', 'c1', aliceOther)).toBeUndefined();
    expect(lists.get('s', 'prompts', undefined, alice)).toBeUndefined();
  });

  it('treats a missing scope as session when a default TTL is set', () => {
    const lists = createListCache<Page>({ cache: createLruCache(), defaultTtlMs: 500 });
    lists.set('s', 'tools', undefined, { tools: ['x'] }, alice);
    expect(lists.get('s', 'tools', undefined, alice)?.tools).toEqual(['x']);
    expect(lists.get('s', 'tools', undefined, aliceOther)).toBeUndefined();
  });

  it('does not cache a private page without a user', () => {
    const lists = createListCache<Page>({ cache: createLruCache() });
    expect(
      lists.set(
        's',
        'tools',
        undefined,
        { tools: [], ttlMs: 10, cacheScope: 'private' },
        { sessionId: 'x' },
      ),
    ).toBe(false);
  });
});
