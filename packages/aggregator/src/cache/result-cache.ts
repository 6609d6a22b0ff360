import { type Cache, checkNumber, InvalidOptionError, type ToolAnnotations } from '@mcpmx/core';
import { cacheKey } from './cache-key.js';
import { createSingleflight } from './singleflight.js';

/** A tool call as the result cache sees it. */
export interface CacheableCall {
  server: string;
  tool: string;
  args?: Record<string, unknown>;
  annotations?: ToolAnnotations;
  /**
   * Whose result it is: calls with different partitions never share a cached result or a
   * call in flight (a gateway passes its caller, so one user's result never reaches another).
   * Calls without one share with each other only.
   */
  partition?: string;
}

/** Hit/miss report, so metrics can count them (matches core's telemetry `cache` event). */
export interface CacheEvent {
  server: string;
  target?: string;
  hit: boolean;
  at: number;
}

/** Options for {@link createResultCache}. */
export interface ResultCacheOptions<R> {
  /** Where results are kept, e.g. {@link createLruCache}. */
  cache: Cache<R>;
  /** Caching is off unless the user opts in. Default `false`. */
  enabled?: boolean;
  /** Which calls may be cached. Default: tools annotated `readOnlyHint: true`. */
  isCacheable?: (call: CacheableCall) => boolean;
  /** TTL passed to the cache; default: the cache's own default. */
  ttlMs?: number;
  /** Called on every hit and miss of a cacheable call. */
  onCacheEvent?: (event: CacheEvent) => void;
  /** Clock read for event timestamps. Default `Date.now`. */
  now?: () => number;
}

/** A tool-call result cache with singleflight. */
export interface ResultCache<R> {
  /**
   * Returns a cached result or runs `upstream` once for all identical cacheable calls in flight.
   * Results with `isError: true` are not cached. Non-cacheable calls go straight upstream.
   * Arguments of a cacheable call that cannot be keyed reject with `CacheKeyError`.
   */
  call(
    request: CacheableCall,
    upstream: (signal: AbortSignal) => Promise<R>,
    signal?: AbortSignal,
  ): Promise<R>;
}

const defaultIsCacheable = (call: CacheableCall) => call.annotations?.readOnlyHint === true;

/** Creates a {@link ResultCache}. */
export function createResultCache<R>(options: ResultCacheOptions<R>): ResultCache<R> {
  const cache = options?.cache;
  if (typeof cache?.get !== 'function' || typeof cache.set !== 'function') {
    throw new InvalidOptionError('cache', 'a Cache (get, set), e.g. createLruCache()', cache);
  }
  const enabled = options.enabled ?? false;
  if (typeof enabled !== 'boolean') throw new InvalidOptionError('enabled', 'a boolean', enabled);
  const isCacheable = optionalFunction('isCacheable', options.isCacheable) ?? defaultIsCacheable;
  const onCacheEvent = optionalFunction('onCacheEvent', options.onCacheEvent);
  const now = optionalFunction('now', options.now) ?? Date.now;
  const ttlMs =
    options.ttlMs === undefined ? undefined : checkNumber('ttlMs', options.ttlMs, { min: 0 });
  const flights = createSingleflight<R>();

  return {
    // async, so that a key that cannot be built (or a throwing isCacheable) rejects, not throws.
    async call(request, upstream, signal) {
      if (!enabled || !isCacheable(request)) {
        return upstream(signal ?? new AbortController().signal);
      }
      const shared = cacheKey(request.server, request.tool, request.args ?? {});
      // `p:` cannot begin a shared key (a JSON string or `sha256:`), so no partition meets one.
      const key =
        request.partition === undefined
          ? shared
          : `p:${JSON.stringify(request.partition)}|${shared}`;
      const cached = cache.get(key);
      const report = (hit: boolean) =>
        onCacheEvent?.({ server: request.server, target: request.tool, hit, at: now() });
      if (cached !== undefined) {
        report(true);
        return cached;
      }
      report(false);
      return flights.run(
        key,
        async (sharedSignal) => {
          const result = await upstream(sharedSignal);
          if (!(result as { isError?: unknown } | null)?.isError) {
            cache.set(key, result, ttlMs);
          }
          return result;
        },
        signal,
      );
    },
  };
}

function optionalFunction<F>(option: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidOptionError(option, 'a function', value);
  }
  return value;
}
