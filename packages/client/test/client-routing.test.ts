import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consecutiveFailures, createCircuitBreaker, createOutlierDetector } from '@mcpmx/breaker';
import {
  McpmxError,
  NoHealthyReplicaError,
  SessionClosedError,
  type StdioTransportConfig,
} from '@mcpmx/core';
import { StdioTransport } from '@mcpmx/pool';
import {
  allUp,
  type ChildServer,
  InterceptingTransport,
  inFlight,
  startWebSocketServer,
} from '@mcpmx/tooling-test-servers';
import { afterEach, describe, expect, it } from 'vitest';
import { createMultiServerClient, type MultiServerClient } from '../src/index.js';
import { faultReplica, testPool, text } from './helpers.js';

/** The next `tools/call`, once armed, fails as an HTTP send does on ECONNREFUSED: never sent. */
const refuseNextCall = (transport: InterceptingTransport) => {
  transport.intercept = (message) => {
    if (!('method' in message) || message.method !== 'tools/call') return 'pass';
    transport.intercept = () => 'pass';
    return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  };
};

const breakerOf = (client: MultiServerClient, replica: string) =>
  client
    .snapshot()
    .servers.flatMap((server) => server.replicas)
    .find((entry) => entry.id === replica)?.breaker;

const pidOf = async (
  client: MultiServerClient,
  options: { affinityKey?: string; replica?: string } = {},
) => {
  const result = await client.callTool('stats', {}, options);
  return (result.structuredContent as { pid: number }).pid;
};

/**
 * Client options over WebSocket replicas `ws#0`..: no retries, and breakers that open on one
 * failure and would stay open for a minute (so a test sees what ends an open period early).
 */
const oneFailureOpensForAMinute = (replicas: readonly ChildServer[]) => ({
  endpoints: replicas.map((server, index) => ({
    id: `ws#${index}`,
    server: 'ws',
    transport: { type: 'websocket' as const, url: server.url },
  })),
  pool: { ...testPool, acquireTimeoutMs: 300 },
  retry: { retries: 0 },
  createBreaker: () =>
    createCircuitBreaker({
      policy: consecutiveFailures(1),
      halfOpenAfter: { initialMs: 60_000, maxMs: 60_000 },
    }),
});

describe('MultiServerClient: routing, failover and cancellation, against real servers', () => {
  const clients: MultiServerClient[] = [];
  const servers: ChildServer[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  const make = (...args: Parameters<typeof createMultiServerClient>) => {
    const client = createMultiServerClient(...args);
    clients.push(client);
    return client;
  };
  const threeReplicas = (env: Record<string, string> = {}) => [
    faultReplica('fault', 0, env),
    faultReplica('fault', 1, env),
    faultReplica('fault', 2, env),
  ];

  it('kill -9 of one of three replicas with 16 read-only calls in flight: zero failed calls', async () => {
    const client = make({ endpoints: threeReplicas(), pool: testPool });
    await client.start();
    await allUp(client);
    const failovers: string[] = [];
    client.on('failover', (event) => failovers.push(`${event.from}->${event.to}`));
    const started = inFlight(client, 'slow', 16);
    const calls = Array.from({ length: 16 }, () => client.callTool('slow', { ms: 1500 }));
    const busiest = await started;
    process.kill(await pidOf(client, { replica: busiest }), 'SIGKILL');
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(results.every((r) => r.status === 'fulfilled' && text(r.value) === 'slept 1500')).toBe(
      true,
    );
    expect(failovers.length).toBeGreaterThan(0);
  });

  it('kill -9 with 16 non-idempotent calls in flight: none is executed twice (server-side ledger)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpmx-ledger-'));
    const ledger = join(dir, 'ledger.txt');
    try {
      const client = make({
        endpoints: threeReplicas({ FAULT_LATENCY_MS: '1500', FAULT_LEDGER: ledger }),
        pool: testPool,
      });
      await client.start();
      await allUp(client);
      const started = inFlight(client, 'count', 16);
      const calls = Array.from({ length: 16 }, (_, i) =>
        client.callTool('count', { key: `k${i}` }),
      );
      const busiest = await started;
      process.kill(await pidOf(client, { replica: busiest }), 'SIGKILL');
      const results = await Promise.allSettled(calls);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      for (const failure of failed) {
        expect(SessionClosedError.isInstance(failure.reason)).toBe(true);
        expect((failure.reason as SessionClosedError).reachedServer).toBe('unknown');
      }
      const lines = (await readFile(ledger, 'utf8')).trim().split('\n');
      const keys = lines.map((line) => line.split(' ')[0]);
      expect(new Set(keys).size).toBe(keys.length); // nothing ran twice
      expect(failed.length).toBeGreaterThan(0); // the victim had some of them, not retried
      results.forEach((result, i) => {
        if (result.status === 'fulfilled') {
          expect(text(result.value)).toBe('1'); // first and only execution of its key
          expect(keys).toContain(`k${i}`);
        }
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cancellation reaches the server', async () => {
    const client = make({ endpoints: [faultReplica('fault', 0)], pool: testPool });
    await client.start();
    const controller = new AbortController();
    const call = client.callTool(
      'slow',
      { ms: 2000 },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    const error = await call.catch((e: unknown) => e);
    expect(McpmxError.hasCode(error, 'MCPMX_CANCELLED')).toBe(true);
    const stats = await client.callTool('stats', {});
    expect((stats.structuredContent as { cancellations: number }).cancellations).toBe(1);
  });

  it('a call that takes too long fails with a timeout naming it', async () => {
    const client = make({
      endpoints: [faultReplica('fault', 0)],
      pool: testPool,
      retry: { retries: 0 },
    });
    await client.start();
    const error = await client
      .callTool('slow', { ms: 5000 }, { timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(McpmxError.hasCode(error, 'MCPMX_TIMEOUT')).toBe(true);
    expect((error as Error).message).toContain('timed out after 200 ms');
  });

  it('calls with an affinity key stick to one replica', async () => {
    const client = make({ endpoints: threeReplicas(), pool: testPool });
    await client.start();
    const pids = new Set<number>();
    for (let i = 0; i < 10; i++) pids.add(await pidOf(client, { affinityKey: 'session-1' }));
    expect(pids.size).toBe(1);
    const spread = new Set<number>();
    for (let i = 0; i < 30; i++) spread.add(await pidOf(client));
    expect(spread.size).toBeGreaterThan(1);
  });

  it('no healthy replica: the error lists each replica and its last error', async () => {
    const first = await startWebSocketServer();
    const second = await startWebSocketServer();
    servers.push(first, second);
    const client = make({
      endpoints: [
        { id: 'ws#0', server: 'ws', transport: { type: 'websocket', url: first.url } },
        { id: 'ws#1', server: 'ws', transport: { type: 'websocket', url: second.url } },
      ],
      pool: { ...testPool, acquireTimeoutMs: 300 },
    });
    await client.start();
    await allUp(client);
    const bothDown = new Promise<void>((resolve) => {
      const down = new Set<string>();
      client.on('replica-status', (event) => {
        if (event.to === 'down') down.add(event.replica);
        if (down.size === 2) resolve();
      });
    });
    await Promise.all([first.kill('SIGKILL'), second.kill('SIGKILL')]);
    await bothDown;
    const error = await client.callTool('echo', { message: 'x' }).catch((e: unknown) => e);
    expect(NoHealthyReplicaError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/ws#0: down \(.+\)/);
    expect((error as Error).message).toMatch(/ws#1: down \(.+\)/);
  });

  it("a replica that reconnects gets a probe at once, not after its breaker's open period", async () => {
    const server = await startWebSocketServer();
    servers.push(server);
    const client = make({
      ...oneFailureOpensForAMinute([server]),
    });
    await client.start();
    const opened = new Promise<void>((resolve) => {
      client.on('breaker-state', (event) => {
        if (event.to === 'open') resolve();
      });
    });
    const [, outcome] = await Promise.all([
      server.kill('SIGKILL'),
      client.callTool('slow', { ms: 2000 }).catch((e: unknown) => e),
    ]);
    expect(McpmxError.isInstance(outcome)).toBe(true);
    await opened;
    const back = new Promise<void>((resolve) => {
      client.on('replica-status', (event) => {
        if (event.to === 'up') resolve();
      });
    });
    await server.restart();
    await back;
    expect(text(await client.callTool('echo', { message: 'back' }))).toBe('Echo: back');
    expect(breakerOf(client, 'ws#0')).toBe('closed');
  });

  it("while a recovering replica's probe is in flight, other calls wait for it instead of failing", async () => {
    const server = await startWebSocketServer();
    servers.push(server);
    const client = make({
      ...oneFailureOpensForAMinute([server]),
    });
    await client.start();
    const states: string[] = [];
    client.on('breaker-state', (event) => states.push(event.to));
    await Promise.all([
      server.kill('SIGKILL'),
      client.callTool('slow', { ms: 2000 }).catch(() => undefined),
    ]);
    const back = new Promise<void>((resolve) => {
      client.on('replica-status', (event) => {
        if (event.to === 'up') resolve();
      });
    });
    await server.restart();
    await back; // the breaker is half-open now: one probe at a time
    const probe = client.callTool('slow', { ms: 300 });
    const waiting = client.callTool('echo', { message: 'behind the probe' });
    expect(text(await waiting)).toBe('Echo: behind the probe');
    expect(text(await probe)).toBe('slept 300');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('a replica back from failing gets the next call as its probe, though its latency was penalised', async () => {
    const started = await Promise.all([0, 1, 2].map(() => startWebSocketServer()));
    servers.push(...started);
    const client = make({
      ...oneFailureOpensForAMinute(started),
    });
    await client.start();
    await allUp(client);
    // ws#0 and ws#2 get fast latency samples, so peak-EWMA prefers them over any penalty.
    for (const replica of ['ws#0', 'ws#2', 'ws#0', 'ws#2']) {
      await client.callTool('echo', { message: 'warm' }, { replica });
    }
    // ws#1 times out: a 1 s latency sample for peak-EWMA, and its breaker opens.
    const failed = await client
      .callTool('slow', { ms: 5000 }, { replica: 'ws#1', timeoutMs: 1000 })
      .catch((e: unknown) => e);
    expect((failed as { code?: string }).code).toBe('MCPMX_TIMEOUT');
    expect(breakerOf(client, 'ws#1')).toBe('open');
    const back = new Promise<void>((resolve) => {
      client.on('replica-status', (event) => {
        if (event.replica === 'ws#1' && event.to === 'up') resolve();
      });
    });
    await started[1]?.restart();
    await back;
    const served: string[] = [];
    client.on('request-end', (event) => served.push(event.replica));
    for (let call = 0; call < 5; call++) await client.callTool('echo', { message: `${call}` });
    expect(served[0]).toBe('ws#1'); // the probe
    expect(breakerOf(client, 'ws#1')).toBe('closed');
  });

  it('reports an outlier ejection and, when it ends, the readmission', async () => {
    const client = make({
      endpoints: [faultReplica('fault', 0), faultReplica('fault', 1)],
      pool: testPool,
      retry: { retries: 0 },
      // Breakers that never open, so the outlier detector alone acts on the failures.
      createBreaker: () => createCircuitBreaker({ policy: consecutiveFailures(1000) }),
      createOutlierDetector: () =>
        createOutlierDetector({ consecutiveFailures: 2, baseEjectionMs: 300, intervalMs: 50 }),
    });
    await client.start();
    await allUp(client);
    const ejected = new Promise<{ replica: string; until: number; at: number }>((resolve) =>
      client.on('ejection', resolve),
    );
    const readmitted = new Promise<{ server: string; replica: string; at: number }>((resolve) =>
      client.on('readmission', resolve),
    );
    for (let call = 0; call < 2; call++) {
      await expect(
        client.callTool('slow', { ms: 5000 }, { replica: 'fault#0', timeoutMs: 100 }),
      ).rejects.toThrow(/timed out|timeout/i);
    }
    const ejection = await ejected;
    expect(ejection.replica).toBe('fault#0');
    const readmission = await readmitted;
    expect(readmission).toEqual({ server: 'fault', replica: 'fault#0', at: ejection.until });
  });

  it('a call whose ready session turns out unable to send goes to a new session, executed once, with retries off', async () => {
    const transports: InterceptingTransport[] = [];
    const client = make({
      endpoints: [faultReplica('fault', 0)],
      pool: {
        ...testPool,
        createTransport: (endpoint) => {
          const transport = new InterceptingTransport(
            new StdioTransport(endpoint.transport as StdioTransportConfig),
          );
          transports.push(transport);
          return transport;
        },
      },
      retry: { retries: 0 },
    });
    await client.start();
    await allUp(client);
    expect(text(await client.callTool('count', { key: 'k' }))).toBe('1');
    const before = await pidOf(client);
    expect(transports).toHaveLength(1);
    refuseNextCall(transports[0] as InterceptingTransport);
    const retried: unknown[] = [];
    client.on('retry', (event) => retried.push(event));
    // Not idempotent and no retries, yet it succeeds: it provably never left, so the pool
    // sends it on the session that replaces the one that could not send.
    expect(text(await client.callTool('count', { key: 'k' }))).toBe('1');
    expect(transports).toHaveLength(2);
    expect(await pidOf(client)).not.toBe(before);
    expect(retried).toEqual([]);
  });
});
