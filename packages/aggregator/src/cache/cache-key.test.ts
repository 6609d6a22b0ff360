import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CacheKeyError, cacheKey, canonicalJson } from './cache-key.js';

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
});
