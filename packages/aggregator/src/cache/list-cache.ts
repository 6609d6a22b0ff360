import type { Cache, CapabilityKind } from '@mcpmx/core';

/** Who may share a cached list page, derived from the 2026-07-28 `cacheScope` hint. */
export interface ListCacheContext {
  /** The session the list was fetched on; `session` (and unknown/missing) scopes key on it. */
  sessionId: string;
  /** The user on whose behalf it was fetched; `private`/`user` scopes key on it. */
  userId?: string;
}

/** A list page's caching hints (core `ListPage` carries them). */
export interface ListCacheHints {
  ttlMs?: number;
  cacheScope?: string;
}

/** Options for {@link createListCache}. */
export interface ListCacheOptions<P> {
  cache: Cache<P>;
  /**
   * TTL used when a page has no `ttlMs` hint (servers on 2025-11-25). Default `0`: pages
   * without a hint are not cached.
   */
  defaultTtlMs?: number;
}

/**
 * A cache for list pages that honours `ttlMs` (0 means do not cache) and `cacheScope`:
 * `public`/`shared` pages are shared by everyone, `private`/`user` pages only by the same user,
 * and `session`, a missing or an unknown scope only within one session.
 */
export interface ListCache<P extends ListCacheHints> {
  get(
    server: string,
    kind: CapabilityKind,
    cursor: string | undefined,
    context: ListCacheContext,
  ): P | undefined;
  /** Stores a page under the scope its own hints name. Returns false when it was not cached. */
  set(
    server: string,
    kind: CapabilityKind,
    cursor: string | undefined,
    page: P,
    context: ListCacheContext,
  ): boolean;
}

const SHARED = new Set(['public', 'shared']);
const PER_USER = new Set(['private', 'user']);

/** Creates a {@link ListCache}. */
export function createListCache<P extends ListCacheHints>(
  options: ListCacheOptions<P>,
): ListCache<P> {
  const defaultTtlMs = options.defaultTtlMs ?? 0;
  const base = (server: string, kind: string, cursor: string | undefined) =>
    JSON.stringify([server, kind, cursor ?? null]);
  const scoped = (prefix: string, scope: string, context: ListCacheContext): string | undefined => {
    if (SHARED.has(scope)) return `${prefix}|shared`;
    if (PER_USER.has(scope)) {
      return context.userId === undefined
        ? undefined
        : `${prefix}|user:${JSON.stringify(context.userId)}`;
    }
    return `${prefix}|session:${JSON.stringify(context.sessionId)}`;
  };
  const candidates = (prefix: string, context: ListCacheContext) =>
    [
      scoped(prefix, 'shared', context),
      scoped(prefix, 'user', context),
      scoped(prefix, 'session', context),
    ].filter((key): key is string => key !== undefined);

  return {
    get(server, kind, cursor, context) {
      for (const key of candidates(base(server, kind, cursor), context)) {
        const page = options.cache.get(key);
        if (page !== undefined) return page;
      }
      return undefined;
    },
    set(server, kind, cursor, page, context) {
      const ttlMs = page.ttlMs ?? defaultTtlMs;
      if (!(ttlMs > 0)) return false;
      const key = scoped(base(server, kind, cursor), page.cacheScope ?? 'session', context);
      if (key === undefined) return false;
      options.cache.set(key, page, ttlMs);
      return true;
    },
  };
}
