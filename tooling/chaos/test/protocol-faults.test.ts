import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { McpmxError, ProtocolError, RequestTimeoutError, type SessionPool } from '@mcpmx/core';
import { createSessionPool } from '@mcpmx/pool';
import {
  type ChildServer,
  descendantPids,
  MALFORMED_KINDS,
  startFaultHttpServer,
  testServers,
} from '@mcpmx/tooling-test-servers';
import { afterEach, describe, expect, it } from 'vitest';

// How @mcpmx/pool and @mcpmx/client react to the test server's protocol faults (hang,
// malformed, flood): a typed error, no hang, no crash, bounded memory. (These live here, not in
// tooling/test-servers, because pool and client depend on test-servers for their own tests.)

const text = (result: { content: unknown[] }) =>
  (result.content[0] as { text?: string } | undefined)?.text;
const fast = { backoff: { initialMs: 20, maxMs: 200 }, healthCheckIntervalMs: 0 };

describe.each(['stdio', 'streamable-http'] as const)('@mcpmx/pool over %s', (kind) => {
  const pools: SessionPool[] = [];
  const servers: ChildServer[] = [];
  const before = descendantPids();
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
    expect(descendantPids().filter((pid) => !before.includes(pid))).toEqual([]);
  });
  const open = async (options = {}) => {
    let transport: Parameters<typeof createSessionPool>[0]['transport'];
    if (kind === 'stdio') {
      transport = { type: 'stdio', command: process.execPath, args: [testServers.fault] };
    } else {
      const server = await startFaultHttpServer();
      servers.push(server);
      transport = { type: 'streamable-http', url: server.url };
    }
    const pool = createSessionPool(
      { id: 'fault#0', server: 'fault', transport },
      { ...fast, ...options },
    );
    pools.push(pool);
    return pool;
  };

  it('hang: RequestTimeoutError at the timeout, and the session keeps serving', async () => {
    const pool = await open();
    const started = performance.now();
    await expect(
      pool.callTool({ name: 'hang', arguments: {} }, { timeoutMs: 300 }),
    ).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'ok' } }))).toBe(
      'Echo: ok',
    );
  });

  it('hang { all: true }: the health check takes the replica out of service', async () => {
    const pool = await open({ healthCheckIntervalMs: 200, healthCheckTimeoutMs: 200 });
    await pool.callTool({ name: 'echo', arguments: { message: 'warm' } });
    const degraded = new Promise<void>((resolve) => {
      const off = pool.on('status', (change) => {
        if (change.to === 'degraded' || change.to === 'down') {
          off();
          resolve();
        }
      });
    });
    await expect(
      pool.callTool({ name: 'hang', arguments: { all: true } }, { timeoutMs: 300 }),
    ).rejects.toBeInstanceOf(RequestTimeoutError);
    await degraded; // the failed probe is what takes it out; a test timeout means it never did
  });

  it.each(MALFORMED_KINDS)(
    'malformed %s: a typed error or a normal answer, never a hang',
    async (malformed) => {
      const pool = await open();
      const outcome = await pool
        .callTool({ name: 'malformed', arguments: { kind: malformed } }, { timeoutMs: 1000 })
        .then(
          (result) => ({ ok: text(result) }),
          (error: unknown) => ({ error }),
        );
      if ('error' in outcome) {
        expect(McpmxError.isInstance(outcome.error)).toBe(true);
        if (malformed === 'wrong-shape') expect(outcome.error).toBeInstanceOf(ProtocolError);
      } else {
        // stdio: the garbage line is skipped and the real answer follows it.
        expect(kind).toBe('stdio');
        expect(outcome.ok).toBe(`wrote ${malformed}`);
      }
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'ok' } }))).toBe(
        'Echo: ok',
      );
    },
  );

  it('flood: 10000 notifications leave the heap where it was and the session serving', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const pool = await open();
    await pool.callTool({ name: 'flood', arguments: { count: 1000 } }); // warm-up
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let progress = 0;
    await pool.callTool({ name: 'flood', arguments: { count: 10_000 } }, { timeoutMs: 60_000 });
    await pool.callTool(
      { name: 'flood', arguments: { count: 10_000, kind: 'progress' } },
      { timeoutMs: 60_000, onProgress: () => progress++ },
    );
    gc();
    const growthMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    expect(growthMiB).toBeLessThan(8);
    // Progress notifications the SDK dispatches after the response are dropped (stdio only).
    expect(progress).toBeGreaterThan(9_500);
    expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'ok' } }))).toBe(
      'Echo: ok',
    );
  });
});

describe('@mcpmx/client with one hung replica of three', () => {
  const clients: MultiServerClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it('read-only calls fail over past a replica that answers nothing', async () => {
    const replica = (index: number) => ({
      id: `fault#${index}`,
      server: 'fault',
      transport: { type: 'stdio' as const, command: process.execPath, args: [testServers.fault] },
    });
    const client = createMultiServerClient({
      endpoints: [replica(0), replica(1), replica(2)],
      pool: fast,
      timeoutMs: 500,
    });
    clients.push(client);
    await client.start();
    await expect(
      client.callTool('hang', { all: true }, { replica: 'fault#1', timeoutMs: 300 }),
    ).rejects.toBeInstanceOf(RequestTimeoutError);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => client.callTool('echo', { message: `m${i}` })),
    );
    expect(results.map(text)).toEqual(Array.from({ length: 12 }, (_, i) => `Echo: m${i}`));
  });
});
