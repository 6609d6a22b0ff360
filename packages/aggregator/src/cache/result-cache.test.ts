import { InvalidOptionError } from '@mcpmx/core';
import { describe, expect, it, vi } from 'vitest';
import { CacheKeyError, cacheKey } from './cache-key.js';
import { createLruCache } from './lru-cache.js';
import { type CacheEvent, createResultCache } from './result-cache.js';

type Result = { content: string; isError?: boolean };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const readOnly = { server: 's', tool: 'get', args: { q: 1 }, annotations: { readOnlyHint: true } };

describe('createResultCache', () => {
  it('does not cache unless opted in', async () => {
    const upstream = vi.fn(async () => ({ content: 'x' }));
    const results = createResultCache<Result>({ cache: createLruCache() });
    await results.call(readOnly, upstream);
    await results.call(readOnly, upstream);
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('caches readOnlyHint tools only, and reports hits and misses', async () => {
    const events: CacheEvent[] = [];
    const upstream = vi.fn(async () => ({ content: 'x' }));
    const results = createResultCache<Result>({
      cache: createLruCache(),
      enabled: true,
      onCacheEvent: (event) => events.push(event),
    });
    await results.call(readOnly, upstream);
    await results.call({ ...readOnly, args: { q: 1 } }, upstream);
    expect(upstream).toHaveBeenCalledTimes(1);
    expect(events.map((event) => event.hit)).toEqual([false, true]);
    const writer = { server: 's', tool: 'put', args: {} };
    await results.call(writer, upstream);
    await results.call(writer, upstream);
    expect(upstream).toHaveBeenCalledTimes(3);
  });

  it('does not cache isError results', async () => {
    const upstream = vi.fn(async () => ({ content: 'bad', isError: true }));
    const results = createResultCache<Result>({ cache: createLruCache(), enabled: true });
    await results.call(readOnly, upstream);
    await results.call(readOnly, upstream);
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('singleflight: identical calls in flight share one upstream call', async () => {
    const pending = deferred<Result>();
    const upstream = vi.fn(() => pending.promise);
    const results = createResultCache<Result>({ cache: createLruCache(), enabled: true });
    const first = results.call(readOnly, upstream);
    const second = results.call(readOnly, upstream);
    pending.resolve({ content: 'shared' });
    expect(await first).toEqual({ content: 'shared' });
    expect(await second).toEqual({ content: 'shared' });
    expect(upstream).toHaveBeenCalledTimes(1);
  });

  it('singleflight: a failure is shared but not cached', async () => {
    const pending = deferred<Result>();
    const upstream = vi.fn(() => pending.promise);
    const results = createResultCache<Result>({ cache: createLruCache(), enabled: true });
    const first = results.call(readOnly, upstream);
    const second = results.call(readOnly, upstream);
    pending.reject(new Error('upstream down'));
    await expect(first).rejects.toThrow('upstream down');
    await expect(second).rejects.toThrow('upstream down');
    expect(upstream).toHaveBeenCalledTimes(1);
    const retry = vi.fn(async () => ({ content: 'ok' }));
    await expect(results.call(readOnly, retry)).resolves.toEqual({ content: 'ok' });
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('singleflight: an aborted caller does not abort the shared call for others', async () => {
    const pending = deferred<Result>();
    let sharedSignal: AbortSignal | undefined;
    const upstream = vi.fn((signal: AbortSignal) => {
      sharedSignal = signal;
      return pending.promise;
    });
    const results = createResultCache<Result>({ cache: createLruCache(), enabled: true });
    const controller = new AbortController();
    const first = results.call(readOnly, upstream, controller.signal);
    const second = results.call(readOnly, upstream);
    controller.abort(new Error('caller gave up'));
    await expect(first).rejects.toThrow('caller gave up');
    expect(sharedSignal?.aborted).toBe(false);
    pending.resolve({ content: 'late' });
    await expect(second).resolves.toEqual({ content: 'late' });
  });

  it('singleflight: the shared call is aborted when every caller has gone', async () => {
    let sharedSignal: AbortSignal | undefined;
    const upstream = (signal: AbortSignal) => {
      sharedSignal = signal;
      return new Promise<Result>(() => {});
    };
    const results = createResultCache<Result>({ cache: createLruCache(), enabled: true });
    const controller = new AbortController();
    const only = results.call(readOnly, upstream, controller.signal);
    controller.abort(new Error('bye'));
    await expect(only).rejects.toThrow('bye');
    expect(sharedSignal?.aborted).toBe(true);
  });

  it('rejects (never throws) when a cacheable call has arguments that cannot be keyed', async () => {
    const upstream = vi.fn(async () => ({ content: 'x' }));
    const results = createResultCache<Result>({ cache: createLruCache(), enabled: true });
    let promise: Promise<Result> | undefined;
    expect(() => {
      promise = results.call({ ...readOnly, args: { n: 1n } }, upstream);
    }).not.toThrow();
    const error = await (promise as Promise<Result>).catch((caught: unknown) => caught);
    expect(CacheKeyError.isInstance(error)).toBe(true);
    expect((error as CacheKeyError).path).toBe('$.n');
    expect(upstream).not.toHaveBeenCalled();
  });

  it('partitions: a result or a call in flight is never shared across partitions', async () => {
    const results = createResultCache<Result>({ cache: createLruCache(), enabled: true });
    const alice = { ...readOnly, partition: 'alice' };
    const bob = { ...readOnly, partition: 'bob' };
    const inFlight = deferred<Result>();
    const first = results.call(alice, () => inFlight.promise);
    // Bob's identical call while Alice's is in flight: his own upstream call, his own result.
    const second = results.call(bob, async () => ({ content: 'for bob' }));
    inFlight.resolve({ content: 'for alice' });
    expect((await first).content).toBe('for alice');
    expect((await second).content).toBe('for bob');
    const upstream = vi.fn(async () => ({ content: 'fresh' }));
    expect((await results.call(alice, upstream)).content).toBe('for alice');
    expect((await results.call(bob, upstream)).content).toBe('for bob');
    // Unpartitioned calls share with each other only; a partition named like a key meets none.
    expect((await results.call(readOnly, upstream)).content).toBe('fresh');
    const lookalike = { ...readOnly, partition: cacheKey('s', 'get', { q: 1 }) };
    expect((await results.call(lookalike, upstream)).content).toBe('fresh');
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('stores results under cacheKey, so one entry can be dropped', async () => {
    const cache = createLruCache<Result>();
    const upstream = vi.fn(async () => ({ content: 'x' }));
    const results = createResultCache<Result>({ cache, enabled: true });
    await results.call(readOnly, upstream);
    expect(cache.delete(cacheKey(readOnly.server, readOnly.tool, readOnly.args))).toBe(true);
    await results.call(readOnly, upstream);
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('rejects bad options by name at construction', () => {
    const thrown = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const cases: [string, () => unknown][] = [
      ['cache', () => createResultCache({} as never)],
      ['cache', () => createResultCache(undefined as never)],
      ['enabled', () => createResultCache({ cache: createLruCache(), enabled: 'yes' as never })],
      [
        'isCacheable',
        () => createResultCache({ cache: createLruCache(), isCacheable: true as never }),
      ],
      [
        'onCacheEvent',
        () => createResultCache({ cache: createLruCache(), onCacheEvent: 1 as never }),
      ],
      ['ttlMs', () => createResultCache({ cache: createLruCache(), ttlMs: -1 })],
    ];
    for (const [option, run] of cases) {
      const error = thrown(run);
      expect(InvalidOptionError.isInstance(error), option).toBe(true);
      expect((error as InvalidOptionError).option).toBe(option);
    }
  });
});
