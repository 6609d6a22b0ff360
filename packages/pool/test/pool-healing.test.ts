import { AcquireTimeoutError, type McpmxError, SessionClosedError } from '@mcpmx/core';
import {
  type ChildServer,
  descendantPids,
  startWebSocketServer,
} from '@mcpmx/tooling-test-servers';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { faultStdio, nextEvent, serverPid, stdioEndpoint, text } from './helpers.js';

const fastHeal = { backoff: { initialMs: 50, maxMs: 500 }, healthCheckIntervalMs: 0 };

describe('healing', () => {
  const servers: ChildServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('kill -9 with 16 calls in flight: they reject promptly and typed, then the pool heals', async () => {
    const pool = createSessionPool(faultStdio(), fastHeal);
    try {
      const pid = await serverPid(pool);
      const calls = Array.from({ length: 16 }, () =>
        pool.callTool({ name: 'slow', arguments: { ms: 20_000 } }).then(
          () => 'resolved',
          (error: unknown) => error,
        ),
      );
      await expect.poll(() => pool.stats().inFlight).toBe(16);
      const down = nextEvent(pool, 'status', (change) => change.to === 'down');
      const up = nextEvent(pool, 'status', (change) => change.to === 'up');
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      const outcomes = await Promise.all(calls);
      const rejectedWithin = Date.now() - killedAt;
      for (const outcome of outcomes) {
        expect(SessionClosedError.isInstance(outcome)).toBe(true);
        expect((outcome as McpmxError).code).toBe('MCPMX_SESSION_CLOSED');
        expect((outcome as Error).message).toContain('killed by SIGKILL');
        expect((outcome as SessionClosedError).reachedServer).toBe('unknown');
      }
      expect(rejectedWithin).toBeLessThan(2000);
      expect((await down).reason).toContain('SIGKILL');
      await up;
      // The same handle works after the heal, against a new process.
      const result = await pool.callTool({ name: 'echo', arguments: { message: 'healed' } });
      expect(text(result)).toBe('Echo: healed');
      expect(await serverPid(pool)).not.toBe(pid);
    } finally {
      await pool.close();
    }
  });

  it('an acquire during an outage fails after its timeout, naming the endpoint and cause; the held handle works after', async () => {
    const server = await startWebSocketServer();
    servers.push(server);
    const pool = createSessionPool(
      { id: 'ws#0', server: 'ws', transport: { type: 'websocket', url: server.url } },
      fastHeal,
    );
    try {
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'a' } }))).toBe(
        'Echo: a',
      );
      const down = nextEvent(pool, 'status', (change) => change.to === 'down');
      await server.kill('SIGKILL');
      await down;
      const error = await pool.acquire({ timeoutMs: 300 }).catch((e: unknown) => e);
      expect(AcquireTimeoutError.isInstance(error)).toBe(true);
      expect((error as McpmxError).code).toBe('MCPMX_ACQUIRE_TIMEOUT');
      expect((error as Error).message).toMatch(
        /no session to ws \(ws#0, websocket:ws:\/\/127\.0\.0\.1:\d+\/\) became available within 300 ms \(endpoint is down; last error: .*(ECONNREFUSED|connection refused|socket closed)/,
      );
      const up = nextEvent(pool, 'status', (change) => change.to === 'up');
      await server.restart();
      await up;
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'b' } }))).toBe(
        'Echo: b',
      );
    } finally {
      await pool.close();
    }
  });

  it('an unknown command: the acquire fails with an error naming the command', async () => {
    const pool = createSessionPool(
      { id: 'bad#0', server: 'bad', transport: { type: 'stdio', command: 'mcpmx-no-such-server' } },
      { ...fastHeal, acquireTimeoutMs: 1500 },
    );
    try {
      const error = await pool.callTool({ name: 'echo' }).catch((e: unknown) => e);
      expect((error as McpmxError).code).toBe('MCPMX_ACQUIRE_TIMEOUT');
      expect((error as Error).message).toContain('command not found: "mcpmx-no-such-server"');
      expect(pool.status).toBe('down');
    } finally {
      await pool.close();
    }
  });

  it('close() during an outage stops the reconnect loop and leaves nothing running', async () => {
    const before = descendantPids();
    const pool = createSessionPool(stdioEndpoint('/nonexistent/mcp-server.js'), fastHeal);
    const waiting = pool.acquire({ timeoutMs: 60_000 }).catch((e: unknown) => e);
    await nextEvent(pool, 'status', (change) => change.to === 'down');
    await pool.close();
    expect(((await waiting) as McpmxError).code).toBe('MCPMX_POOL_CLOSED');
    expect(descendantPids()).toEqual(before);
    await expect(pool.callTool({ name: 'echo' })).rejects.toMatchObject({
      code: 'MCPMX_POOL_CLOSED',
    });
  });
});
