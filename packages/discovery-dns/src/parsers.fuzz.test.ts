import { createSeededRandom } from '@mcpmx/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderSrvRecords } from './srv-order.js';
import { parseTxtMetadata } from './txt-metadata.js';

// Fuzzing the pure DNS record handling: any TXT strings end in metadata or a reason, and any
// SRV set is reordered, never lost or duplicated. Fixed seed for repeatable CI; FUZZ_SEED and
// FUZZ_RUNS search further.
const params = (numRuns: number) => ({
  numRuns: Number(process.env.FUZZ_RUNS ?? numRuns),
  seed: Number(process.env.FUZZ_SEED ?? 7_2026),
});

describe('DNS record parsing under fuzzing', () => {
  it('TXT: any character-strings give metadata the URL builder can trust, or a reason', () => {
    const entry = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 255 }),
      fc
        .tuple(
          fc.constantFrom(
            'transport',
            'path',
            'scheme',
            'tags',
            'TRANSPORT',
            ' path ',
            '__proto__',
            'constructor',
            'x',
          ),
          fc.oneof(
            fc.constantFrom('sse', 'websocket', 'stdio', 'https', '/mcp', 'a,,b', ''),
            fc.string(),
          ),
        )
        .map(([key, value]) => `${key}=${value}`),
    );
    fc.assert(
      fc.property(fc.array(fc.array(entry, { maxLength: 4 }), { maxLength: 4 }), (records) => {
        const parsed = parseTxtMetadata(records);
        if (typeof parsed === 'string') return;
        if (parsed.transport)
          expect(['streamable-http', 'sse', 'websocket']).toContain(parsed.transport);
        if (parsed.scheme) expect(['http', 'https']).toContain(parsed.scheme);
        if (parsed.path !== undefined) expect(parsed.path.startsWith('/')).toBe(true);
        expect(parsed.tags?.every((tag) => tag.length > 0 && tag === tag.trim()) ?? true).toBe(
          true,
        );
        expect(Object.values(parsed.extra).every((value) => typeof value === 'string')).toBe(true);
      }),
      params(300),
    );
  });

  it('SRV: any records come back once each, lowest priority first', () => {
    const record = fc.record({
      name: fc.domain(),
      port: fc.integer({ min: 0, max: 65535 }),
      priority: fc.integer({ min: 0, max: 65535 }),
      weight: fc.integer({ min: 0, max: 65535 }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 20 }), fc.integer(), (records, seed) => {
        const ordered = orderSrvRecords(records, createSeededRandom(seed));
        expect([...ordered].sort(compare)).toEqual([...records].sort(compare));
        for (let index = 1; index < ordered.length; index++) {
          expect(ordered[index - 1]?.priority ?? 0).toBeLessThanOrEqual(
            ordered[index]?.priority ?? 0,
          );
        }
      }),
      params(500),
    );
  });
});

function compare(a: { name: string; port: number; priority: number; weight: number }, b: typeof a) {
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0;
}
