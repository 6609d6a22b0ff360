import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { issuesOf } from '../../test/issues-of.js';
import { parseServersConfig } from './parse-config.js';

describe('parseServersConfig', () => {
  it('reads a Claude Desktop config unchanged', () => {
    const config = parseServersConfig(
      JSON.stringify({
        mcpServers: {
          filesystem: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop'],
          },
          memory: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-memory'],
            env: { MEMORY_FILE_PATH: '/tmp/m.json' },
          },
        },
      }),
    );
    expect(config.endpoints).toEqual([
      {
        id: 'filesystem#0',
        server: 'filesystem',
        transport: {
          type: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop'],
        },
        tags: [],
        weight: 1,
        metadata: {},
        source: 'config',
      },
      {
        id: 'memory#0',
        server: 'memory',
        transport: {
          type: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-memory'],
          env: { MEMORY_FILE_PATH: '/tmp/m.json' },
        },
        tags: [],
        weight: 1,
        metadata: {},
        source: 'config',
      },
    ]);
  });

  it('reads Cursor-style url entries: http by default, sse and websocket by type or scheme', () => {
    const config = parseServersConfig(
      {
        mcpServers: {
          remote: {
            url: 'https://mcp.example.com/mcp',
            headers: { Authorization: 'Bearer ${TOKEN}' },
          },
          legacy: { url: 'http://127.0.0.1:3001/sse', type: 'sse' },
          socket: { url: 'ws://127.0.0.1:9000' },
        },
      },
      { env: { TOKEN: 't0ken' } },
    );
    expect(config.endpoints.map((e) => e.transport)).toEqual([
      {
        type: 'streamable-http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer t0ken' },
      },
      { type: 'sse', url: 'http://127.0.0.1:3001/sse' },
      { type: 'websocket', url: 'ws://127.0.0.1:9000' },
    ]);
  });

  it('reads the mcpmx extensions: replicas, tags, weight, metadata, settings, discovery', () => {
    const config = parseServersConfig({
      mcpServers: {
        search: {
          replicas: [
            { url: 'http://127.0.0.1:8001/mcp', weight: 3, tags: ['eu'] },
            { url: 'http://127.0.0.1:8002/mcp', metadata: { zone: 'b' } },
          ],
          tags: ['web'],
          metadata: { team: 'search' },
          stateful: true,
          idempotentTools: ['lookup'],
          timeoutMs: 5000,
        },
        off: { command: 'x', disabled: true },
      },
      discovery: [{ type: 'dns', name: '_mcp._tcp.${ZONE:-svc.test}', server: 'search' }],
      naming: { policy: 'prefix' },
    });
    expect(config.endpoints.map((e) => [e.id, e.weight, e.tags, e.metadata])).toEqual([
      ['search#0', 3, ['web', 'eu'], { team: 'search' }],
      ['search#1', 1, ['web'], { team: 'search', zone: 'b' }],
    ]);
    expect(config.servers.search).toEqual({
      tags: ['web'],
      stateful: true,
      idempotentTools: ['lookup'],
      timeoutMs: 5000,
    });
    expect(config.servers.off).toBeUndefined();
    expect(config.discovery).toEqual([
      { type: 'dns', name: '_mcp._tcp.svc.test', server: 'search' },
    ]);
    expect(config.settings).toEqual({ naming: { policy: 'prefix' } });
  });

  it('collects every problem with its path, what was expected and what was found', () => {
    const issues = issuesOf(() =>
      parseServersConfig({
        mcpServers: {
          a: { command: 42 },
          b: { url: 'not a url' },
          c: { command: 'x', url: 'http://h/' },
          d: { comand: 'typo' },
          e: { url: 'http://h/mcp', type: 'grpc' },
          f: { command: 'x', env: { KEY: '${MISSING}' } },
          g: { command: 'x', weight: -1, tags: 'web' },
          h: { url: 'http://h/mcp', type: 'websocket' },
        },
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'mcpServers.a.command', expected: 'a non-empty string', found: 42 },
        { path: 'mcpServers.b.url', expected: 'an absolute URL', found: 'not a url' },
        { path: 'mcpServers.c', expected: 'either "command" or "url", not both', found: 'both' },
        expect.objectContaining({ path: 'mcpServers.d.comand', found: 'comand' }),
        expect.objectContaining({ path: 'mcpServers.e.type', found: 'grpc' }),
        {
          path: 'mcpServers.f.env.KEY',
          expected: 'environment variable MISSING to be set',
          found: undefined,
        },
        { path: 'mcpServers.g.tags', expected: 'an array of strings', found: 'web' },
        { path: 'mcpServers.g.weight', expected: 'a number > 0', found: -1 },
        { path: 'mcpServers.h.url', expected: 'a ws:// or wss:// URL', found: 'http://h/mcp' },
      ]),
    );
  });

  it('points at the line and column of broken JSON', () => {
    const issues = issuesOf(() =>
      parseServersConfig('{\n  "mcpServers": {\n    "a": { "command": "x", }\n  }\n}', {
        source: 'mcp.json',
      }),
    );
    expect(issues[0]?.expected).toMatch(/valid JSON at line 3, column \d+/);
    try {
      parseServersConfig('{', { source: 'mcp.json' });
    } catch (error) {
      expect((error as Error).message).toContain('in mcp.json');
    }
  });

  it('does not read the process environment unless given it', () => {
    process.env.MCPMX_TEST_SECRET = 'hunter2';
    const issues = issuesOf(() =>
      parseServersConfig({ mcpServers: { a: { command: '${MCPMX_TEST_SECRET}' } } }),
    );
    expect(issues[0]?.path).toBe('mcpServers.a.command');
    delete process.env.MCPMX_TEST_SECRET;
  });

  it('never puts an interpolated secret into an error message', () => {
    try {
      parseServersConfig(
        { mcpServers: { a: { url: '${URL}', headers: { X: 1 } } } },
        { env: { URL: 'https://user:hunter2@h/mcp' } },
      );
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
      return;
    }
    throw new Error('expected a ConfigError');
  });
});

describe('parseServersConfig: unknown keys', () => {
  /** Settings an app reads from the top level, as it would declare them. */
  const settings = z.object({
    naming: z.strictObject({ policy: z.enum(['prefix', 'none']).optional() }).optional(),
    retry: z.strictObject({ retries: z.int().min(0).optional() }).optional(),
  });
  const discovery = z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('dns'), name: z.string(), server: z.string() }),
    z.strictObject({ type: z.literal('etcd'), prefix: z.string() }),
  ]);

  it('reports unknown top-level keys with a did-you-mean once the settings are declared', () => {
    const issues = issuesOf(() =>
      parseServersConfig(
        JSON.parse('{"mcpServers":{},"retyr":{},"extras":[],"__proto__":{},"naming":{}}'),
        { settings },
      ),
    );
    const known =
      'a top-level key among mcpServers, servers, inputs, discovery, gateway, naming, retry';
    expect(issues).toEqual([
      { path: 'retyr', expected: `${known} (did you mean "retry"?)`, found: 'retyr' },
      { path: 'extras', expected: known, found: 'extras' },
      { path: '__proto__', expected: known, found: '__proto__' },
    ]);
  });

  it('without declared settings, still reports near-misses of mcpServers and discovery', () => {
    const issues = issuesOf(() =>
      parseServersConfig({ mcpServers: {}, discvery: [{ type: 'dns' }], naming: {} }),
    );
    expect(issues).toEqual([
      {
        path: 'discvery',
        expected:
          'a top-level key among mcpServers, servers, inputs, discovery, gateway (did you mean "discovery"?)',
        found: 'discvery',
      },
    ]);
    expect(parseServersConfig({ mcpServers: {}, naming: {} }).settings).toEqual({ naming: {} });
  });

  it('offers the closest known key for a typo in a server, and lists the keys otherwise', () => {
    const issues = issuesOf(() =>
      parseServersConfig({
        mcpServers: { memory: { comand: 'npx', hedaers: {}, frobnicate: true } },
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'mcpServers.memory.comand',
          expected: 'one of the known keys (did you mean "command"?)',
          found: 'comand',
        },
        {
          path: 'mcpServers.memory.hedaers',
          expected: 'one of the known keys (did you mean "headers"?)',
          found: 'hedaers',
        },
        {
          path: 'mcpServers.memory.frobnicate',
          expected: expect.stringMatching(/^one of the known keys \(command, args, env, .*\)$/),
          found: 'frobnicate',
        },
      ]),
    );
  });

  it('reports unknown keys in replicas, settings and discovery blocks, each at its path', () => {
    const issues = issuesOf(() =>
      parseServersConfig(
        {
          mcpServers: { search: { replicas: [{ url: 'http://h/mcp', wieght: 2 }] } },
          naming: { polcy: 'prefix' },
          retry: { retires: 2 },
          discovery: [
            { type: 'dns', nmae: '_mcp._tcp.svc.test', server: 'search' },
            { type: 'zookeeper' },
          ],
        },
        { settings, discovery },
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'mcpServers.search.replicas[0].wieght',
          expected: 'one of the known keys (did you mean "weight"?)',
          found: 'wieght',
        },
        {
          path: 'naming.polcy',
          expected: 'one of the known keys (did you mean "policy"?)',
          found: 'polcy',
        },
        {
          path: 'retry.retires',
          expected: 'one of the known keys (did you mean "retries"?)',
          found: 'retires',
        },
        {
          path: 'discovery[0].nmae',
          expected: 'one of the known keys (did you mean "name"?)',
          found: 'nmae',
        },
        { path: 'discovery[0].name', expected: 'a string', found: undefined },
        { path: 'discovery[1].type', expected: 'one of "dns", "etcd"', found: 'zookeeper' },
      ]),
    );
  });

  it('checks declared settings and blocks after interpolation, showing the text as written', () => {
    const env = { POLICY: 'prefix', SECRET: 'hunter2' };
    const config = parseServersConfig(
      {
        mcpServers: {},
        naming: { policy: '${POLICY}' },
        discovery: [{ type: 'etcd', prefix: '/mcp/${POLICY}/' }],
      },
      { settings, discovery, env },
    );
    expectTypeOf(config.settings.naming).toEqualTypeOf<
      { policy?: 'prefix' | 'none' } | undefined
    >();
    expect(config.settings).toEqual({ naming: { policy: 'prefix' } });
    expect(config.discovery).toEqual([{ type: 'etcd', prefix: '/mcp/prefix/' }]);
    const issues = issuesOf(() =>
      parseServersConfig({ mcpServers: {}, naming: { policy: '${SECRET}' } }, { settings, env }),
    );
    expect(issues).toEqual([
      { path: 'naming.policy', expected: 'one of "prefix", "none"', found: '${SECRET}' },
    ]);
  });

  it('words what a declared schema expects in plain words, never in zod terms', () => {
    const declared = z.object({
      token: z.unknown(),
      mode: z.union([z.literal('a'), z.number()]).optional(),
      limit: z.number().max(10).optional(),
      name: z
        .string()
        .regex(/^[a-z]+$/)
        .optional(),
    });
    const issues = issuesOf(() =>
      parseServersConfig(
        { mcpServers: {}, mode: true, limit: 11, name: 'A1' },
        { settings: declared },
      ),
    );
    expect(issues).toEqual([
      { path: 'token', expected: 'a value', found: undefined },
      { path: 'mode', expected: '"a" or a number', found: true },
      { path: 'limit', expected: 'a number <= 10', found: 11 },
      { path: 'name', expected: 'a string matching /^[a-z]+$/', found: 'A1' },
    ]);
  });

  it('refuses a "command" server whose type names a URL transport', () => {
    const issues = issuesOf(() =>
      parseServersConfig({ mcpServers: { s: { command: 'x', type: 'sse' } } }),
    );
    expect(issues).toEqual([
      {
        path: 'mcpServers.s.type',
        expected: '"stdio" (or no type) for a server with "command"',
        found: 'sse',
      },
    ]);
  });
});

describe('parseServersConfig: references', () => {
  const env = { HOST: 'mcp.example.com', TOKEN: 't0k3n-value', BIN: 'node', DIR: '/srv' };

  it('reads ${env:NAME} as ${NAME}, in the URL, headers, env, args, command and cwd', () => {
    const config = parseServersConfig(
      {
        mcpServers: {
          web: {
            url: 'https://${env:HOST}/mcp',
            headers: { Authorization: 'Bearer ${env:TOKEN}', 'X-Plain': '${TOKEN}' },
          },
          local: {
            command: '${env:BIN}',
            args: ['${DIR}/a.js', '${env:DIR}/b.js', '${env:MISSING:-fallback}'],
            env: { A: '${env:TOKEN}', B: '${TOKEN}' },
            cwd: '${env:DIR}',
          },
        },
      },
      { env },
    );
    expect(config.endpoints.map((endpoint) => endpoint.transport)).toEqual([
      {
        type: 'streamable-http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer t0k3n-value', 'X-Plain': 't0k3n-value' },
      },
      {
        type: 'stdio',
        command: 'node',
        args: ['/srv/a.js', '/srv/b.js', 'fallback'],
        env: { A: 't0k3n-value', B: 't0k3n-value' },
        cwd: '/srv',
      },
    ]);
  });

  it('any ${…} left unresolved, anywhere, is an issue at its path (was: kept literally)', () => {
    const issues = issuesOf(() =>
      parseServersConfig(
        {
          mcpServers: {
            web: {
              url: 'https://${env:NOPE}/mcp',
              headers: { Authorization: 'Bearer ${input:api-key}', X: '${1}', Y: 'a ${b' },
            },
            local: {
              command: 'node',
              args: ['${workspaceFolder}', '${env:NOPE}'],
              env: { K: '${input:api-key}' },
              metadata: { team: '${env:}' },
            },
          },
          naming: { separator: '${nope:x}' },
        },
        { env },
      ),
    );
    const forms = 'a reference of the form ${NAME}, ${NAME:-default}, ${env:NAME} or ${input:ID}';
    const undeclared = 'an input "api-key" declared under "inputs"';
    expect(issues).toEqual([
      {
        path: 'mcpServers.web.url',
        expected: 'environment variable NOPE to be set',
        found: undefined,
      },
      {
        path: 'mcpServers.web.headers.Authorization',
        expected: undeclared,
        found: '${input:api-key}',
      },
      { path: 'mcpServers.web.headers.X', expected: forms, found: '${1}' },
      { path: 'mcpServers.web.headers.Y', expected: 'a "}" closing each "${"', found: 'a ${b' },
      { path: 'mcpServers.local.env.K', expected: undeclared, found: '${input:api-key}' },
      // Without a baseDir there is no workspace folder: an unset variable like any other.
      {
        path: 'mcpServers.local.args[0]',
        expected: 'environment variable workspaceFolder to be set',
        found: undefined,
      },
      {
        path: 'mcpServers.local.args[1]',
        expected: 'environment variable NOPE to be set',
        found: undefined,
      },
      { path: 'mcpServers.local.metadata.team', expected: forms, found: '${env:}' },
      { path: 'naming.separator', expected: forms, found: '${nope:x}' },
    ]);
  });
});
