import { ManualClock, McpmxError, NameConflictError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { clientsClosedAfterEach, everything, faultReplica, testPool, text } from './helpers.js';

describe('MultiServerClient: catalog and naming, against real servers', () => {
  const make = clientsClosedAfterEach();

  it('two servers with the same tools: prefix-on-conflict prefixes only the shared names', async () => {
    const client = make({
      endpoints: [faultReplica('alpha', 0), faultReplica('beta', 0, { FAULT_TOOL_PREFIX: 'b_' })],
      pool: testPool,
    });
    await client.start();
    const names = client.listTools().map((tool) => tool.name);
    expect(names).toContain('echo'); // only alpha has a bare "echo"; beta's is "b_echo"
    expect(names).toContain('b_echo');
    const shared = make({
      endpoints: [faultReplica('alpha', 0), faultReplica('beta', 0)],
      pool: testPool,
    });
    await shared.start();
    const sharedNames = shared.listTools().map((tool) => tool.name);
    expect(sharedNames).toEqual(expect.arrayContaining(['alpha__echo', 'beta__echo']));
    expect(sharedNames).not.toContain('echo');
    expect(text(await shared.callTool('beta__echo', { message: 'b' }))).toBe('Echo: b');
  });

  it('prefix policy prefixes every name; none refuses the conflict, naming both servers', async () => {
    const prefixed = make({
      endpoints: [faultReplica('alpha', 0), faultReplica('beta', 0)],
      naming: { policy: 'prefix' },
      pool: testPool,
    });
    await prefixed.start();
    expect(prefixed.listTools().every((tool) => /^(alpha|beta)__/.test(tool.name))).toBe(true);

    const strict = make({
      endpoints: [faultReplica('alpha', 0), faultReplica('beta', 0)],
      naming: { policy: 'none' },
      pool: testPool,
    });
    const error = await strict.start().catch((e: unknown) => e);
    expect(NameConflictError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /"(echo|slow|fail|crash|count|stats|set-latency)" is exposed by more than one server \(alpha, beta\)/,
    );
  });

  it("a server cannot shadow another server's tool under any naming policy", async () => {
    // "evil" names its tools like beta's prefixed ones: beta__echo, beta__count, ...
    const endpoints = [
      faultReplica('alpha', 0),
      faultReplica('beta', 0),
      faultReplica('evil', 0, { FAULT_TOOL_PREFIX: 'beta__' }),
    ];
    for (const policy of ['prefix', 'prefix-on-conflict'] as const) {
      const client = make({ endpoints, naming: { policy }, pool: testPool });
      await client.start();
      expect(client.catalog().resolveTool('beta__echo')?.server).toBe('beta');
      const evil = client.listTools().filter((tool) => tool.name.includes('beta__echo'));
      expect(evil.map((tool) => client.catalog().resolveTool(tool.name)?.server).sort()).toEqual([
        'beta',
        'evil',
      ]);
    }
    const strict = make({ endpoints, naming: { policy: 'none' }, pool: testPool });
    expect(NameConflictError.isInstance(await strict.start().catch((e: unknown) => e))).toBe(true);
  });

  it('refreshes the catalog when a server announces list_changed', async () => {
    const client = make({
      endpoints: [faultReplica('fault', 0)],
      pool: testPool,
      refreshDebounceMs: 10,
    });
    await client.start();
    expect(client.listTools().map((tool) => tool.name)).not.toContain('late');
    const refreshed = new Promise<void>((resolve) => {
      client.on('catalog-changed', () => {
        if (client.catalog().resolveTool('late')) resolve();
      });
    });
    await client.callTool('add-tool', { name: 'late' });
    await refreshed;
    expect(text(await client.callTool('late', {}))).toBe('I am late');
  });

  it('honours list caching hints: ttlMs 0 (2026-07-28) revalidates on access; no hint (2025-11-25) does not', async () => {
    const client = make({
      endpoints: [faultReplica('fault', 0)],
      pool: testPool,
      refreshDebounceMs: 0,
    });
    await client.start();
    // A v2 server with no configured hint sends the conservative default.
    expect(client.listCacheHint('tools')).toEqual({ ttlMs: 0, cacheScope: 'private' });
    expect(client.listCacheHint('prompts')).toBeUndefined(); // offers none: no constraint
    let fetches = 0;
    client.on('request-start', (event) => {
      if (event.method === 'tools/list') fetches++;
    });
    const refreshed = new Promise((resolve) => client.once('catalog-changed', resolve));
    expect(client.listTools().length).toBeGreaterThan(0); // served now, refreshed behind
    await refreshed;
    expect(fetches).toBe(1);

    const legacy = make({
      endpoints: [faultReplica('fault', 0)],
      pool: { ...testPool, protocol: 'legacy' },
      refreshDebounceMs: 0,
    });
    await legacy.start();
    expect(legacy.listCacheHint('tools')).toBeUndefined();
    let legacyFetches = 0;
    legacy.on('request-start', (event) => {
      if (event.method === 'tools/list') legacyFetches++;
    });
    legacy.listTools();
    // A 0 ms refresh timer would have fired before this round trip to the server ends.
    await legacy.callTool('echo', { message: 'x' });
    expect(legacyFetches).toBe(0);
  });

  it('a list with ttlMs is served from the catalog until it expires, then revalidated once', async () => {
    const clock = new ManualClock();
    const client = make({
      endpoints: [
        faultReplica('fault', 0, { FAULT_LIST_TTL_MS: '5000', FAULT_LIST_CACHE_SCOPE: 'public' }),
      ],
      pool: testPool,
      refreshDebounceMs: 0,
      clock,
    });
    await client.start();
    expect(client.listCacheHint('tools')).toEqual({ ttlMs: 5000, cacheScope: 'public' });
    let fetches = 0;
    client.on('request-start', (event) => {
      if (event.method === 'tools/list') fetches++;
    });
    clock.advance(4000);
    client.listTools();
    const dueNow = () => clock.pending().filter((at) => at <= clock.now());
    expect(dueNow()).toEqual([]); // fresh: no refresh scheduled
    expect(client.listCacheHint('tools')).toEqual({ ttlMs: 1000, cacheScope: 'public' });
    clock.advance(1000);
    const refreshed = new Promise((resolve) => client.once('catalog-changed', resolve));
    client.listTools(); // expired: served as is, refreshed behind
    client.listTools(); // a second access does not schedule a second refresh
    expect(dueNow()).toHaveLength(1);
    clock.advance(0);
    await refreshed;
    expect(fetches).toBe(1);
    expect(client.listCacheHint('tools')).toEqual({ ttlMs: 5000, cacheScope: 'public' });
  });

  it('serves server-everything: tools, resources and a call', async () => {
    const client = make({ endpoints: [everything()], pool: testPool });
    await client.start();
    expect(client.listTools().map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['echo', 'get-sum']),
    );
    expect(client.listResources().length).toBeGreaterThan(0);
    const sum = await client.callTool('get-sum', { a: 2, b: 3 });
    expect(text(sum)).toContain('5');
  });

  it('routes resources and prompts to the server that owns them', async () => {
    const client = make({ endpoints: [everything(), faultReplica('fault', 0)], pool: testPool });
    await client.start();
    const resource = client.listResources()[0];
    expect(resource).toBeDefined();
    const read = await client.readResource(resource?.uri ?? '');
    expect(read.contents.length).toBeGreaterThan(0);
    const prompt = client.listPrompts().find((p) => !p.arguments?.some((arg) => arg.required));
    const got = await client.getPrompt(prompt?.name ?? '', {});
    expect(got.messages.length).toBeGreaterThan(0);
  });

  it('an unknown tool names the closest ones', async () => {
    const client = make({ endpoints: [faultReplica('fault', 0)], pool: testPool });
    await client.start();
    const error = await client.callTool('ecko', {}).catch((e: unknown) => e);
    expect(McpmxError.hasCode(error, 'MCPMX_UNKNOWN_TOOL')).toBe(true);
    expect((error as Error).message).toBe('Unknown tool "ecko". Did you mean "echo"?');
  });
});
