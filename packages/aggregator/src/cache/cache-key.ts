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

/**
 * Canonical JSON: object keys sorted, so key order does not matter; types stay distinct
 * (`1` vs `"1"`). Object properties whose value is `undefined` are left out, as on the wire.
 * Throws {@link CacheKeyError} on cycles, bigint, functions, symbols, non-finite numbers,
 * `undefined` in arrays and non-plain objects.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CacheKeyError(path, `non-finite number ${value}`);
      return JSON.stringify(value);
    case 'bigint':
      throw new CacheKeyError(path, 'a bigint');
    case 'undefined':
      throw new CacheKeyError(path, 'undefined');
    case 'function':
    case 'symbol':
      throw new CacheKeyError(path, `a ${typeof value}`);
  }
  if (value === null) return 'null';
  const object = value as object;
  if (seen.has(object)) throw new CacheKeyError(path, 'a cycle');
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return `[${object.map((item, index) => write(item, `${path}[${index}]`, seen)).join(',')}]`;
    }
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      throw new CacheKeyError(
        path,
        `a non-plain object (${proto?.constructor?.name ?? 'unknown'})`,
      );
    }
    const record = object as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      if (record[key] === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${write(record[key], `${path}.${key}`, seen)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(object);
  }
}

/**
 * The cache key of a tool call: server + tool + canonical JSON of the arguments (key order does
 * not matter). The result cache stores results under it, so `cache.delete(cacheKey(...))` drops
 * one cached result. Throws {@link CacheKeyError} for arguments JSON cannot carry.
 */
export function cacheKey(server: string, tool: string, args: unknown = {}): string {
  return `${JSON.stringify(server)}|${JSON.stringify(tool)}|${canonicalJson(args)}`;
}
