import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapHealthEntries } from '../src/mapping.js';

// Fuzzing the mapping of Consul's /v1/health/service answers: any JSON array ends in endpoints
// and skipped records, never an exception; every endpoint points at the entry's address and
// port. Fixed seed for repeatable CI; FUZZ_SEED and FUZZ_RUNS search further.
const params = (numRuns: number) => ({
  numRuns: Number(process.env.FUZZ_RUNS ?? numRuns),
  seed: Number(process.env.FUZZ_SEED ?? 7_2026),
});
const options = { service: 'files', server: 'files', source: 'consul:files' };

const anyJson = fc.jsonValue({ maxDepth: 3 });
const host = fc.oneof(
  fc.constantFrom(
    '10.0.0.1',
    '::1',
    'fe80::1%eth0',
    'a.svc',
    'EXAMPLE.com',
    '',
    'a/b',
    'u@h',
    'h:1',
    '[::1]',
    'a b',
    'ü.de',
  ),
  fc.domain(),
  fc.ipV4(),
  fc.ipV6(),
  fc.string(),
);
const field = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: anyJson });
/** Entries of the right outline, with right and wrong values in every field. */
const entry = fc.record(
  {
    Node: field(
      fc.record({ Node: field(fc.string()), Address: field(host) }, { requiredKeys: [] }),
    ),
    Service: field(
      fc.record(
        {
          ID: field(fc.string()),
          Address: field(host),
          Port: field(fc.oneof(fc.integer({ min: -1, max: 70_000 }), fc.double())),
          Tags: field(fc.array(fc.string())),
          Meta: field(
            fc.dictionary(
              fc.oneof(
                fc.constantFrom('mcp_transport', 'mcp_path', 'mcp_scheme', '__proto__'),
                fc.string(),
              ),
              fc.oneof(
                fc.constantFrom('sse', 'websocket', 'https', 'http', '/p', 'x'),
                fc.string(),
                anyJson,
              ),
            ),
          ),
          Weights: field(fc.record({ Passing: field(fc.double()) }, { requiredKeys: [] })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

describe('mapHealthEntries under fuzzing', () => {
  it('any array: endpoints that point at the entry, or skipped records with a short reason', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(entry, anyJson), { maxLength: 6 }), (body) => {
        const { endpoints, skipped } = mapHealthEntries(body, options);
        expect(endpoints.length + skipped.length).toBe(body.length);
        for (const skip of skipped) expect(skip.reason.length).toBeLessThan(300);
        // Entry by entry, each endpoint points at its own entry's port, with no userinfo.
        for (const item of body) {
          const [endpoint] = mapHealthEntries([item], options).endpoints;
          if (!endpoint) continue;
          const url = new URL((endpoint.transport as { url: string }).url);
          const secure = url.protocol === 'https:' || url.protocol === 'wss:';
          const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
          expect(port).toBe((item as { Service: { Port: number } }).Service.Port);
          expect(url.username + url.password).toBe('');
          expect(Number.isFinite(endpoint.weight) && (endpoint.weight ?? 0) > 0).toBe(true);
        }
      }),
      params(500),
    );
  });

  it('regression: an address with a path or userinfo no longer moves the URL to another host or port', () => {
    const mapped = mapHealthEntries(
      [
        { Node: { Node: 'n' }, Service: { ID: 'a', Address: 'evil/x', Port: 8080 } },
        { Node: { Node: 'n' }, Service: { ID: 'b', Address: 'u@evil', Port: 8080 } },
      ],
      options,
    );
    expect(mapped.endpoints).toEqual([]);
    expect(mapped.skipped.map((skip) => skip.reason)).toEqual([
      'the address "evil/x" is not a host name or IP address',
      'the address "u@evil" is not a host name or IP address',
    ]);
  });
});
