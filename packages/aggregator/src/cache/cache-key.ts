import { createHash } from 'node:crypto';
import { InvalidRequestError } from '@mcpmx/core';

/**
 * A call's arguments cannot be turned into a cache key (cycle, bigint, function, ...). It is an
 * `InvalidRequestError`: the caller's own request, never the server's fault, and sending it
 * again cannot help.
 */
export class CacheKeyError extends InvalidRequestError {
  static override readonly errorCode = 'MCPMX_INVALID_CACHE_KEY' as const;
  /** Where in the arguments the problem is, e.g. `$.filter.since`. */
  readonly path: string;
  constructor(path: string, problem: string) {
    super(
      `cannot build a cache key: ${problem} at ${path}; pass JSON-compatible arguments or mark the tool not cacheable`,
    );
    this.name = 'CacheKeyError';
    this.path = path;
  }
}

/** Arguments nested deeper than this cannot be keyed (JSON parsers' usual limit, as in .NET). */
export const MAX_KEY_DEPTH = 64;
/** Canonical arguments longer than this are keyed by their SHA-256, so a key stays short. */
export const MAX_VERBATIM_KEY_LENGTH = 1024;

/**
 * Canonical JSON: object keys sorted, so key order does not matter; types stay distinct
 * (`1` vs `"1"`). Object properties whose value is `undefined` are left out, as on the wire.
 * Throws {@link CacheKeyError} on cycles, bigint, functions, symbols, non-finite numbers,
 * `undefined` in arrays, non-plain objects and nesting deeper than 64 levels (MAX_KEY_DEPTH).
 * Linear in the size of the value: the path is only spelled out for an error.
 */
export function canonicalJson(value: unknown): string {
  return write(value, [], new Set());
}

/** `$.filter.since[2]` from the keys and indexes on the way down. */
function spell(path: readonly (string | number)[]): string {
  return `$${path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('')}`;
}

function write(value: unknown, path: (string | number)[], seen: Set<object>): string {
  const fail = (problem: string) => new CacheKeyError(spell(path), problem);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw fail(`non-finite number ${value}`);
      return JSON.stringify(value);
    case 'bigint':
      throw fail('a bigint');
    case 'undefined':
      throw fail('undefined');
    case 'function':
    case 'symbol':
      throw fail(`a ${typeof value}`);
  }
  if (value === null) return 'null';
  const object = value as object;
  if (seen.has(object)) throw fail('a cycle');
  if (path.length >= MAX_KEY_DEPTH) throw fail(`nesting deeper than ${MAX_KEY_DEPTH} levels`);
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      const items: string[] = [];
      for (let index = 0; index < object.length; index++) {
        path.push(index);
        items.push(write(object[index], path, seen));
        path.pop();
      }
      return `[${items.join(',')}]`;
    }
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      throw fail(`a non-plain object (${proto?.constructor?.name ?? 'unknown'})`);
    }
    const record = object as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      if (record[key] === undefined) continue;
      path.push(key);
      parts.push(`${JSON.stringify(key)}:${write(record[key], path, seen)}`);
      path.pop();
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(object);
  }
}

/**
 * The cache key of a tool call: server + tool + canonical JSON of the arguments (key order does
 * not matter), or its SHA-256 (`sha256:<hex>`) when that is over 1 KiB (MAX_VERBATIM_KEY_LENGTH),
 * so a 4 MiB argument makes a short key. The result cache stores results under it, so
 * `cache.delete(cacheKey(...))` drops one cached result. Throws {@link CacheKeyError} for
 * arguments JSON cannot carry.
 */
export function cacheKey(server: string, tool: string, args: unknown = {}): string {
  const key = `${JSON.stringify(server)}|${JSON.stringify(tool)}|${canonicalJson(args)}`;
  if (key.length <= MAX_VERBATIM_KEY_LENGTH) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
