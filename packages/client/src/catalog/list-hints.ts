import type { CapabilityKind } from '@mcpmx/core';

/**
 * The caching hint of a list (protocol 2026-07-28, SEP-2549): how long the list may be reused,
 * and whether shared caches (`public`) or only the requesting client (`private`) may keep it.
 * Servers on 2025-11-25 send none.
 */
export interface ListHint {
  ttlMs: number;
  cacheScope: 'public' | 'private';
}

export type ListHints = Partial<Record<CapabilityKind, ListHint>>;

/** The hint a list page carries, if it carries a valid one. An unknown scope counts as private. */
export function hintOfPage(page: Record<string, unknown>): ListHint | undefined {
  const { ttlMs, cacheScope } = page;
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < 0) return undefined;
  return { ttlMs, cacheScope: cacheScope === 'public' ? 'public' : 'private' };
}

/**
 * The hint for two lists served as one: the shorter lifetime, and private if either is. Without
 * a hint on one side there is nothing to promise, so the result is `undefined`.
 */
export function combineHints(
  a: ListHint | undefined,
  b: ListHint | undefined,
): ListHint | undefined {
  if (!a || !b) return undefined;
  return {
    ttlMs: Math.min(a.ttlMs, b.ttlMs),
    cacheScope: a.cacheScope === 'public' && b.cacheScope === 'public' ? 'public' : 'private',
  };
}
