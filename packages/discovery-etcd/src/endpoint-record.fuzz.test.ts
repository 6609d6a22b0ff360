import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEndpointRecord } from './endpoint-record.js';

// Fuzzing the etcd value parser: any bytes end in an endpoint or a short reason, never an
// exception, and an endpoint is one the pool can open. Fixed seed for repeatable CI;
// FUZZ_SEED and FUZZ_RUNS search further.
const params = (numRuns: number) => ({
  numRuns: Number(process.env.FUZZ_RUNS ?? numRuns),
  seed: Number(process.env.FUZZ_SEED ?? 7_2026),
});
const context = { id: 'etcd:/p/k', source: 'etcd:/p/', server: undefined, allowStdio: true };

const anyJson = fc.jsonValue({ maxDepth: 3 });
const field = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: anyJson });
const url = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('ws://h:1/', 'wss://h/', 'file:///x', 'nope', 'http://h'),
  fc.string(),
);
const record = fc.record(
  {
    server: field(fc.string()),
    url: field(url),
    transport: field(
      fc.record(
        {
          type: field(fc.constantFrom('stdio', 'streamable-http', 'sse', 'websocket', 'x')),
          url: field(url),
          command: field(fc.string()),
          args: field(fc.array(fc.string())),
          env: field(fc.dictionary(fc.string(), fc.string())),
          cwd: field(fc.string()),
          headers: field(fc.dictionary(fc.string(), fc.string())),
        },
        { requiredKeys: [] },
      ),
    ),
    tags: field(fc.array(fc.string())),
    weight: field(fc.double()),
    metadata: field(fc.dictionary(fc.string(), fc.string())),
  },
  { requiredKeys: [] },
);
const allStrings = (values: unknown) =>
  values === undefined ||
  Object.values(values as object).every((value) => typeof value === 'string');

describe('parseEndpointRecord under fuzzing', () => {
  it('any value: a usable endpoint or a short reason', () => {
    const text = fc.oneof(
      record.map((value) => JSON.stringify(value)),
      fc.json(),
      fc.string({ unit: 'binary' }),
      fc.uint8Array().map((bytes) => Buffer.from(bytes).toString()),
    );
    fc.assert(
      fc.property(text, (value) => {
        const parsed = parseEndpointRecord(value, context);
        if (typeof parsed === 'string') {
          expect(parsed.length).toBeLessThan(400);
          return;
        }
        const transport = parsed.transport;
        if (transport.type === 'stdio') {
          expect(transport.command.trim()).not.toBe('');
          expect(allStrings(transport.args) && allStrings(transport.env)).toBe(true);
          expect(transport.cwd === undefined || typeof transport.cwd === 'string').toBe(true);
        } else {
          const protocol = new URL(transport.url).protocol;
          expect(transport.type === 'websocket' ? ['ws:', 'wss:'] : ['http:', 'https:']).toContain(
            protocol,
          );
          expect(allStrings(transport.headers)).toBe(true);
        }
        expect(
          Object.keys(transport).every((key) =>
            ['type', 'url', 'headers', 'command', 'args', 'env', 'cwd'].includes(key),
          ),
        ).toBe(true);
        expect(parsed.tags?.every((tag) => typeof tag === 'string')).toBe(true);
        expect(Number.isFinite(parsed.weight) && (parsed.weight ?? -1) >= 0).toBe(true);
        expect(allStrings(parsed.metadata)).toBe(true);
      }),
      params(1000),
    );
  });

  it('regressions found by fuzzing', () => {
    // A websocket transport with an http URL, and a file: URL, were accepted.
    expect(
      parseEndpointRecord(
        '{"server":"s","transport":{"type":"websocket","url":"http://h/"}}',
        context,
      ),
    ).toMatch(/ws: or wss: for websocket/);
    expect(parseEndpointRecord('{"server":"s","url":"file:///etc/passwd"}', context)).toMatch(
      /http: or https:/,
    );
    // headers and cwd were passed through unchecked.
    expect(
      parseEndpointRecord(
        '{"server":"s","transport":{"type":"sse","url":"http://h/","headers":{"a":1}}}',
        context,
      ),
    ).toBe('transport.headers.a must be a string (got 1)');
    expect(
      parseEndpointRecord(
        '{"server":"s","transport":{"type":"stdio","command":"x","cwd":5}}',
        context,
      ),
    ).toBe('transport.cwd must be a string (got 5)');
    // A reason quoted a whole value, however long.
    const long = parseEndpointRecord(
      JSON.stringify({ server: 's', url: 'x'.repeat(100_000) }),
      context,
    );
    expect(typeof long === 'string' && long.length).toBeLessThan(200);
  });
});
