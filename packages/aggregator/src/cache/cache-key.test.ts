import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CacheKeyError, cacheKey, canonicalJson, MAX_KEY_DEPTH } from './cache-key.js';

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, seed));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const rotated = entries.map((_, index) => entries[(index + seed) % entries.length]);
    return Object.fromEntries(rotated.map((entry) => [entry?.[0], shuffleKeys(entry?.[1], seed)]));
  }
  return value;
}

describe('cacheKey', () => {
  it('is stable across key order (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(10), (value, seed) => {
        expect(canonicalJson(shuffleKeys(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it('round-trips to an equal value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const normalised = JSON.parse(JSON.stringify(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(normalised);
      }),
    );
  });

  it('distinguishes types and servers/tools', () => {
    expect(cacheKey('s', 't', { a: 1 })).not.toBe(cacheKey('s', 't', { a: '1' }));
    expect(cacheKey('s', 't', { a: null })).not.toBe(cacheKey('s', 't', { a: false }));
    expect(cacheKey('s|t', 'x', {})).not.toBe(cacheKey('s', 't|x', {}));
    expect(cacheKey('s', 't', { b: 2, a: 1 })).toBe(cacheKey('s', 't', { a: 1, b: 2 }));
  });

  it('leaves out undefined properties, as on the wire', () => {
    expect(cacheKey('s', 't', { a: 1, b: undefined })).toBe(cacheKey('s', 't', { a: 1 }));
  });

  it('rejects what JSON cannot carry, naming the path', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/a cycle at \$\.self/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint at \$\.n/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined at \$\[0\]/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/non-plain object \(Date\)/);
    expect(() => canonicalJson(Number.NaN)).toThrow(CacheKeyError);
  });

  it('accepts shared (non-cyclic) references', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('refuses nesting deeper than 64 levels with a CacheKeyError, not a stack overflow', () => {
    const nested = (depth: number) => {
      let value: unknown = 1;
      for (let level = 0; level < depth; level++) value = [value];
      return value;
    };
    expect(canonicalJson(nested(MAX_KEY_DEPTH))).toBe(`${'['.repeat(64)}1${']'.repeat(64)}`);
    expect(() => canonicalJson(nested(MAX_KEY_DEPTH + 1))).toThrow(/deeper than 64 levels/);
    const error = (() => {
      try {
        cacheKey('s', 't', { a: nested(200_000) });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CacheKeyError);
    expect((error as CacheKeyError).path).toBe(`$.a${'[0]'.repeat(MAX_KEY_DEPTH - 1)}`);
  });

  it('keys giant arguments by their SHA-256, so a key stays short', () => {
    const big = 'x'.repeat(4 * 1024 * 1024);
    const key = cacheKey('s', 't', { text: big, n: 1 });
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(cacheKey('s', 't', { n: 1, text: big })).toBe(key);
    expect(cacheKey('s', 't', { text: big, n: 2 })).not.toBe(key);
    expect(cacheKey('s', 'u', { text: big, n: 1 })).not.toBe(key);
    expect(cacheKey('s', 't', { text: 'short' })).toBe('"s"|"t"|{"text":"short"}');
  });
});
