import { ConfigError, describeValue, TRANSPORT_KINDS } from '@mcpmx/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ServersConfig } from './config-types.js';
import { createEnvAccess } from './env-access.js';
import { interpolate, REFERENCE_FORMS } from './interpolate.js';
import { MAX_CONFIG_DEPTH, parseServersConfig } from './parse-config.js';
import { findJsonError } from './parse-json.js';

// Fuzzing: every input ends in a ServersConfig or a ConfigError, never another exception or a
// hang. Seed and runs are fixed so CI is repeatable; FUZZ_SEED and FUZZ_RUNS search further.
// fast-check prints the seed and the shrunk counterexample of a failure.
const params = (numRuns: number) => ({
  numRuns: Number(process.env.FUZZ_RUNS ?? numRuns),
  seed: Number(process.env.FUZZ_SEED ?? 7_2026),
});

type Outcome = { config: ServersConfig } | { error: ConfigError };

/** Settings and discovery blocks as an app declares them (see the typo property). */
const settingsSchema = z.object({
  naming: z.strictObject({ policy: z.enum(['prefix', 'none']), separator: z.string() }).partial(),
  retry: z.strictObject({ retries: z.int().min(0), budgetMs: z.int().min(0) }).partial(),
});
const blockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dns'), name: z.string(), server: z.string() }),
  z.strictObject({ type: z.literal('etcd'), prefix: z.string() }),
]);

/** Runs the parser; anything other than a result or a ConfigError fails the property. */
function parse(input: unknown, env: Record<string, string> = {}, declared = false): Outcome {
  try {
    const schemas = declared ? { settings: settingsSchema, discovery: blockSchema } : {};
    return {
      config: parseServersConfig(input, { env, source: 'fuzz.json', ...schemas }) as ServersConfig,
    };
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    return { error };
  }
}

/** What a user of a parsed config relies on. */
function checkConfig(config: ServersConfig): void {
  for (const endpoint of config.endpoints) {
    expect(Object.hasOwn(config.servers, endpoint.server)).toBe(true);
    expect(endpoint.id.startsWith(`${endpoint.server}#`)).toBe(true);
    expect(Number.isFinite(endpoint.weight) && (endpoint.weight ?? 0) > 0).toBe(true);
    expect(Array.from(endpoint.tags ?? []).every((tag) => typeof tag === 'string')).toBe(true);
    expect(Object.values(endpoint.metadata ?? {}).every((v) => typeof v === 'string')).toBe(true);
    const transport = endpoint.transport;
    expect(['stdio', 'streamable-http', 'sse', 'websocket']).toContain(transport.type);
    if (transport.type === 'stdio') {
      expect(typeof transport.command === 'string' && transport.command.trim() !== '').toBe(true);
      expect(Array.from(transport.args ?? []).every((arg) => typeof arg === 'string')).toBe(true);
      expect(Object.values(transport.env ?? {}).every((v) => typeof v === 'string')).toBe(true);
    } else {
      const protocol = new URL(transport.url).protocol;
      const ws = protocol === 'ws:' || protocol === 'wss:';
      expect(ws).toBe(transport.type === 'websocket');
      if (!ws) expect(['http:', 'https:']).toContain(protocol);
    }
  }
}

/** An issue is only useful if the message says where, what was expected and what was found. */
function checkMessage(error: ConfigError): void {
  expect(error.issues.length).toBeGreaterThan(0);
  for (const issue of error.issues) {
    expect(error.message).toContain(
      `${issue.path || '(root)'}: expected ${issue.expected}, found ${describeValue(issue.found)}`,
    );
  }
}

const anyValue = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
  key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString')),
});
const serverKey = fc.constantFrom(
  'command',
  'args',
  'env',
  'cwd',
  'url',
  'headers',
  'type',
  'transport',
  'tags',
  'weight',
  'metadata',
  'disabled',
  'replicas',
  'stateful',
  'idempotentTools',
  'timeoutMs',
);
/** Objects of the right outline whose fields hold anything. */
const shapedEntry = fc.dictionary(serverKey, fc.oneof(anyValue, fc.webUrl(), fc.string()), {
  maxKeys: 6,
});
/** JSON text of a generated value (BigInts as strings). */
const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? String(item) : item)) ?? '{}';
const shapedConfig = fc.record(
  {
    mcpServers: fc.dictionary(
      fc.oneof(fc.constantFrom('a', 'b.c', '__proto__', 'constructor'), fc.string()),
      fc.oneof(
        shapedEntry,
        shapedEntry.map((entry) => ({ ...entry, replicas: [entry, { command: 'x' }] })),
        anyValue,
      ),
      { maxKeys: 4 },
    ),
    discovery: fc.oneof(fc.array(fc.oneof(anyValue, fc.record({ type: fc.string() }))), anyValue),
    naming: anyValue,
  },
  { requiredKeys: [] },
);

describe('parseServersConfig under fuzzing', () => {
  it('any text: a result or a ConfigError, and broken JSON is located by line and column', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      shapedConfig.map(toJson),
      // Valid JSON with one character cut out or put in: the usual hand-editing mistake.
      fc
        .tuple(
          shapedConfig.map(toJson),
          fc.nat(),
          fc.constantFrom('', ',', '}', '"', '\n', '\\', '\u0001', '\ufeff'),
        )
        .map(([json, at, insert]) => {
          const cut = at % (json.length + 1);
          return json.slice(0, cut) + insert + json.slice(cut + (insert === '' ? 1 : 0));
        }),
    );
    fc.assert(
      fc.property(text, (input) => {
        const outcome = parse(input);
        let valid = true;
        try {
          JSON.parse(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
        } catch {
          valid = false;
        }
        // The locator agrees with JSON.parse about what is JSON.
        expect(
          findJsonError(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input) === undefined,
        ).toBe(valid);
        if ('config' in outcome) {
          checkConfig(outcome.config);
          return;
        }
        checkMessage(outcome.error);
        if (!valid) {
          expect(outcome.error.issues).toHaveLength(1);
          expect(outcome.error.issues[0]?.expected).toMatch(/^valid JSON at line \d+, column \d+ /);
        }
      }),
      params(400),
    );
  });

  it('objects of the right outline holding any values: a result or a ConfigError', () => {
    fc.assert(
      fc.property(fc.oneof(shapedConfig, anyValue), (input) => {
        const outcome = parse(input, { A: 'a', HOME: '/home/fuzz' });
        if ('config' in outcome) checkConfig(outcome.config);
        else checkMessage(outcome.error);
      }),
      params(400),
    );
  });

  it('a field of the wrong type is named by its path, what was expected and what was found', () => {
    const notString = anyValue.filter((value) => typeof value !== 'string' && value !== undefined);
    const notStringArray = anyValue.filter(
      (value) =>
        value !== undefined &&
        !(Array.isArray(value) && Array.from(value).every((item) => typeof item === 'string')),
    );
    const notObject = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string()),
    );
    const badNumber = fc.oneof(
      fc.double().filter((n) => !(Number.isFinite(n) && n > 0)),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
    );
    const notBoolean = anyValue.filter(
      (value) => typeof value !== 'boolean' && value !== undefined,
    );
    const stdioBase = { command: 'node', args: ['server.js'] };
    const urlBase = { url: 'https://mcp.example.com/mcp' };
    const cases = fc.oneof(
      notString.map((value) => ({ base: stdioBase, key: 'command', value })),
      fc.constantFrom('', '  ', '\t').map((value) => ({ base: stdioBase, key: 'command', value })),
      notStringArray.map((value) => ({ base: stdioBase, key: 'args', value })),
      notObject.map((value) => ({ base: stdioBase, key: 'env', value })),
      fc.dictionary(fc.string({ minLength: 1 }), notString, { minKeys: 1 }).map((value) => ({
        base: stdioBase,
        key: 'env',
        value,
      })),
      notString.map((value) => ({ base: stdioBase, key: 'cwd', value })),
      notStringArray.map((value) => ({ base: stdioBase, key: 'tags', value })),
      notStringArray.map((value) => ({ base: stdioBase, key: 'idempotentTools', value })),
      badNumber.map((value) => ({ base: stdioBase, key: 'weight', value })),
      badNumber.map((value) => ({ base: stdioBase, key: 'timeoutMs', value })),
      notBoolean.map((value) => ({ base: stdioBase, key: 'stateful', value })),
      notBoolean.map((value) => ({ base: stdioBase, key: 'disabled', value })),
      notObject.map((value) => ({ base: stdioBase, key: 'metadata', value })),
      notString.map((value) => ({ base: urlBase, key: 'url', value })),
      fc
        .string()
        .filter((value) => !URL.canParse(value))
        .map((value) => ({ base: urlBase, key: 'url', value })),
      notObject.map((value) => ({ base: urlBase, key: 'headers', value })),
      fc
        .oneof(fc.string(), fc.constantFrom('constructor', 'toString', '__proto__'))
        .filter(
          (value) =>
            !Object.values(TRANSPORT_KINDS)
              .flatMap((kind) => kind.aliases)
              .includes(value),
        )
        .map((value) => ({ base: urlBase, key: 'type', value })),
    );
    fc.assert(
      fc.property(cases, fc.boolean(), ({ base, key, value }, asReplica) => {
        const entry = { ...base, [key]: value };
        const server =
          asReplica && key !== 'stateful' && key !== 'timeoutMs' && key !== 'idempotentTools'
            ? { replicas: [{ command: 'ok' }, entry] }
            : entry;
        const prefix = server === entry ? 'mcpServers.s' : 'mcpServers.s.replicas[1]';
        const outcome = parse({ mcpServers: { s: server } });
        expect('error' in outcome).toBe(true);
        if (!('error' in outcome)) return;
        checkMessage(outcome.error);
        const named = outcome.error.issues.filter(
          (issue) =>
            issue.path === `${prefix}.${key}` || issue.path.startsWith(`${prefix}.${key}.`),
        );
        expect(named.length).toBeGreaterThan(0);
      }),
      params(300),
    );
  });

  it('deep nesting and cycles are reported as issues, not a stack overflow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_CONFIG_DEPTH + 1, max: 20_000 }),
        fc.constantFrom('[', '{"k":'),
        fc.constantFrom('naming', 'discovery'),
        (depth, opener, where) => {
          const closer = opener === '[' ? ']' : '}';
          const deep = `${opener.repeat(depth)}1${closer.repeat(depth)}`;
          const value = where === 'discovery' ? `[{"type":"dns","options":${deep}}]` : deep;
          const outcome = parse(`{"mcpServers":{},"${where}":${value}}`);
          expect('error' in outcome).toBe(true);
          if ('error' in outcome) {
            expect(outcome.error.issues.map((issue) => issue.expected)).toContain(
              `at most ${MAX_CONFIG_DEPTH} levels of nesting`,
            );
          }
        },
      ),
      params(20),
    );
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    const outcome = parse({ mcpServers: {}, naming: cycle });
    expect('error' in outcome && outcome.error.issues[0]?.path).toMatch(/^naming(\.self)+$/);
  });

  it('huge strings full of half-references parse in linear time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('${A:-', '${', '${A', '$', '${A:-}', '${1}'),
        fc.integer({ min: 100_000, max: 400_000 }),
        (unit, repeat) => {
          const huge = unit.repeat(repeat);
          const started = performance.now();
          const outcome = parse({
            mcpServers: { s: { command: huge, env: { X: huge } } },
            naming: { prefix: huge },
          });
          // The quadratic regex took minutes here; the linear scan takes milliseconds.
          expect(performance.now() - started).toBeLessThan(5_000);
          if ('config' in outcome) checkConfig(outcome.config);
        },
      ),
      params(8),
    );
  });

  it('interpolation matches a model (${NAME} and ${env:NAME} alike), and only own string variables count', () => {
    const names = fc.constantFrom(
      'A',
      'B_1',
      '_x',
      'constructor',
      '__proto__',
      'toString',
      'valueOf',
    );
    const literal = fc.string({ maxLength: 8 }).map((text) => text.replaceAll('$', ''));
    const segment = fc.oneof(
      literal.map((text) => ({ kind: 'literal' as const, text })),
      fc
        .tuple(names, fc.constantFrom('', 'env:'))
        .map(([name, prefix]) => ({ kind: 'reference' as const, name, prefix })),
      fc
        .tuple(
          names,
          fc.constantFrom('', 'env:'),
          fc.string({ maxLength: 6 }).map((text) => text.replaceAll('}', '')),
        )
        .map(([name, prefix, fallback]) => ({
          kind: 'defaulted' as const,
          name,
          prefix,
          fallback,
        })),
      // Not a reference of any known form: an issue, one per distinct text, left in place.
      fc
        .constantFrom('${}', '${1A}', '${A-B}', '${ A}', '${env:}', '${env:1}', '${wat:A}')
        .map((text) => ({ kind: 'malformed' as const, text })),
    );
    const env = fc
      .array(fc.tuple(names, fc.string({ maxLength: 6 })), { maxLength: 4 })
      .map((entries) => Object.fromEntries(entries));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), env, (segments, variables) => {
        let source = '';
        let expected = '';
        const problems: string[] = [];
        const malformed = new Set<string>();
        for (const item of segments) {
          if (item.kind === 'literal' || item.kind === 'malformed') {
            source += item.text;
            expected += item.text;
            if (item.kind === 'malformed' && !malformed.has(item.text)) {
              malformed.add(item.text);
              problems.push(REFERENCE_FORMS);
            }
            continue;
          }
          const reference =
            item.kind === 'reference'
              ? `\${${item.prefix}${item.name}}`
              : `\${${item.prefix}${item.name}:-${item.fallback}}`;
          source += reference;
          const value = Object.hasOwn(variables, item.name) ? variables[item.name] : undefined;
          if (value !== undefined) expected += value;
          else if (item.kind === 'defaulted') expected += item.fallback;
          else {
            expected += reference;
            problems.push(`environment variable ${item.name} to be set`);
          }
        }
        const issues: { path: string; expected: string; found: unknown }[] = [];
        const access = createEnvAccess({ env: variables });
        expect(interpolate(source, 'p', access, issues)).toBe(expected);
        expect(issues.map((issue) => issue.expected)).toEqual(problems);
      }),
      params(500),
    );
  });

  it('interpolated values never appear in error messages', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{16}$/).map((text) => `s3cr3t-${text}`);
    fc.assert(
      fc.property(secret, fc.boolean(), anyValue, (value, replica, junk) => {
        const entry = {
          url: 'https://${HOST}/mcp?key=${SECRET}',
          headers: { Authorization: 'Bearer ${SECRET}', Bad: junk },
          weight: junk,
          metadata: { token: '${SECRET}', broken: junk },
          typo: '${SECRET}',
        };
        const outcome = parse(
          {
            mcpServers: {
              s: replica ? { replicas: [entry, { command: '${SECRET}', args: [junk] }] } : entry,
            },
            naming: { prefix: '${SECRET}', missing: '${UNSET_VAR}' },
          },
          { SECRET: value, HOST: value },
        );
        if ('error' in outcome) expect(outcome.error.message).not.toContain(value);
      }),
      params(200),
    );
  });

  it('a one-letter typo of a key at any level is reported at its path with a did-you-mean', () => {
    const entryKeys = ['command', 'args', 'env', 'cwd', 'url', 'headers', 'type', 'transport'];
    const replicaKeys = [...entryKeys, 'tags', 'weight', 'metadata', 'disabled'];
    const serverKeys = [...replicaKeys, 'replicas', 'stateful', 'idempotentTools', 'timeoutMs'];
    const places = {
      '': ['mcpServers', 'discovery', 'naming', 'retry'],
      'mcpServers.s': serverKeys,
      'mcpServers.r.replicas[1]': replicaKeys,
      naming: ['policy', 'separator'],
      retry: ['retries', 'budgetMs'],
      'discovery[0]': ['name', 'server'],
    } as const;
    type Place = keyof typeof places;
    /** One edit: a swap of neighbours, a deletion, an insertion or a changed letter. */
    const typo = fc
      .tuple(
        fc.constantFrom(...(Object.keys(places) as Place[])),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('swap', 'delete', 'insert', 'replace'),
        fc.constantFrom('x', 'q', 'E', '_', '-'),
      )
      .map(([place, pick, at, edit, letter]) => {
        const known: readonly string[] = places[place];
        const key = known[pick % known.length] as string;
        const i = at % key.length;
        const typed =
          edit === 'swap' && i + 1 < key.length
            ? key.slice(0, i) + key.charAt(i + 1) + key.charAt(i) + key.slice(i + 2)
            : edit === 'delete'
              ? key.slice(0, i) + key.slice(i + 1)
              : edit === 'insert'
                ? key.slice(0, i) + letter + key.slice(i)
                : key.slice(0, i) + letter + key.slice(i + 1);
        return { place, known, typed };
      })
      .filter(({ known, typed }) => typed.length >= 3 && !known.includes(typed));
    fc.assert(
      fc.property(typo, anyValue, ({ place, known, typed }, junk) => {
        const server: Record<string, unknown> = { command: 'node', args: ['server.js'] };
        const replica: Record<string, unknown> = { url: 'https://h/mcp' };
        const naming: Record<string, unknown> = { policy: 'prefix' };
        const retry: Record<string, unknown> = { retries: 1 };
        const block: Record<string, unknown> = { type: 'dns', name: '_mcp._tcp.x', server: 's' };
        const config: Record<string, unknown> = {
          mcpServers: { s: server, r: { replicas: [{ command: 'a' }, replica] } },
          naming,
          retry,
          discovery: [block],
        };
        const targets: Record<Place, Record<string, unknown>> = {
          '': config,
          'mcpServers.s': server,
          'mcpServers.r.replicas[1]': replica,
          naming,
          retry,
          'discovery[0]': block,
        };
        targets[place][typed] = junk;
        const outcome = parse(config, {}, true);
        expect('error' in outcome).toBe(true);
        if (!('error' in outcome)) return;
        checkMessage(outcome.error);
        const path = place === '' ? typed : `${place}.${typed}`;
        const issue = outcome.error.issues.find((item) => item.path === path);
        expect(issue?.found).toBe(typed);
        const suggested = /\(did you mean "([^"]+)"\?\)$/.exec(issue?.expected ?? '')?.[1];
        expect(known).toContain(suggested);
      }),
      params(400),
    );
  });

  it('any input against declared settings and blocks: a result or a ConfigError naming extras', () => {
    const declaredConfig = fc.record(
      {
        mcpServers: fc.dictionary(fc.string(), shapedEntry, { maxKeys: 2 }),
        discovery: fc.oneof(
          fc.array(
            fc.oneof(
              anyValue,
              fc.record({ type: fc.constantFrom('dns', 'etcd', 'x'), name: anyValue }),
            ),
          ),
          anyValue,
        ),
        naming: fc.oneof(anyValue, fc.record({ policy: anyValue, separator: anyValue })),
        retry: anyValue,
        extra: anyValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(declaredConfig, anyValue), (input) => {
        const outcome = parse(input, { A: 'a' }, true);
        if ('config' in outcome) checkConfig(outcome.config);
        else checkMessage(outcome.error);
        // "extra" is no declared key: wherever it appears at the top, it is named.
        if (typeof input === 'object' && input !== null && Object.hasOwn(input, 'extra')) {
          expect('error' in outcome && outcome.error.issues.map((issue) => issue.path)).toContain(
            'extra',
          );
        }
      }),
      params(400),
    );
  });

  it('regressions found by fuzzing', () => {
    // "${CMD}" with CMD empty passed the non-empty check, made before interpolation.
    const empty = parse({ mcpServers: { s: { command: '${CMD}' } } }, { CMD: ' ' });
    expect('error' in empty && empty.error.issues[0]?.path).toBe('mcpServers.s.command');
    // "weight": null on a replica fell back to the server's weight without a word.
    const nullWeight = parse({ mcpServers: { s: { replicas: [{ command: 'x', weight: null }] } } });
    expect('error' in nullWeight && nullWeight.error.issues[0]?.path).toBe(
      'mcpServers.s.replicas[0].weight',
    );
    // ${constructor} read Object's constructor through the prototype chain.
    const outcome = parse({ mcpServers: { s: { command: 'run-${constructor}' } } }, {});
    expect('error' in outcome && outcome.error.issues[0]?.expected).toBe(
      'environment variable constructor to be set',
    );
    // A server called __proto__ replaced the prototype of `servers` instead of being listed.
    const proto = parse('{"mcpServers":{"__proto__":{"command":"x"}}}');
    expect('error' in proto && proto.error.issues[0]?.path).toBe('mcpServers.__proto__');
    // "type": "constructor" picked Object's constructor as the transport type.
    const typed = parse({ mcpServers: { s: { url: 'https://h/mcp', type: 'constructor' } } });
    expect('error' in typed && typed.error.issues[0]?.path).toBe('mcpServers.s.type');
    // A sparse args array passed the string check through its holes.
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point.
    const sparse = parse({ mcpServers: { s: { command: 'x', args: [, 'a'] } } });
    expect('error' in sparse && sparse.error.issues[0]?.path).toBe('mcpServers.s.args');
    // "disabled": "true" left the server enabled without a word.
    const disabled = parse({ mcpServers: { s: { command: 'x', disabled: 'true' } } });
    expect('error' in disabled && disabled.error.issues[0]?.path).toBe('mcpServers.s.disabled');
    // A disabled replica was started anyway; the others keep their ids.
    const replicas = parse({
      mcpServers: { s: { replicas: [{ command: 'a', disabled: true }, { command: 'b' }] } },
    });
    expect('config' in replicas && replicas.config.endpoints.map((e) => e.id)).toEqual(['s#1']);
    // V8 gives no position for some syntax errors, and quotes the text around them.
    const broken = parse('{\n  "mcpServers": { "s": { "command": "sk-live-123", } }\n}');
    expect('error' in broken && broken.error.issues[0]?.expected).toBe(
      'valid JSON at line 2, column 52 (a property name in double quotes)',
    );
    expect('error' in broken && broken.error.message).not.toContain('sk-live-123');
    // A byte-order mark, as some editors write, is not an error.
    expect('config' in parse('\ufeff{"mcpServers":{}}')).toBe(true);
  });
});
