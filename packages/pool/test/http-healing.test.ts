import { type McpmxError, TransportError } from '@mcpmx/core';
import { type ChildServer, startEverythingHttp } from '@mcpmx/tooling-test-servers';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { nextEvent, text } from './helpers.js';

describe('healing over HTTP', () => {
  const servers: ChildServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('streamableHttp: a killed server is noticed at the first refused request (one probe), then reconnected when it is back', async () => {
    const server = await startEverythingHttp('streamableHttp');
    servers.push(server);
    const pool = createSessionPool(
      { id: 'http#0', server: 'http', transport: { type: 'streamable-http', url: server.url } },
      { backoff: { initialMs: 50, maxMs: 200 }, healthCheckIntervalMs: 0 },
    );
    const closed: string[] = [];
    pool.on('session-closed', ({ reason }) => closed.push(reason));
    try {
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: '1' } }))).toBe(
        'Echo: 1',
      );
      const session = pool.ready?.()?.id;
      await server.kill('SIGKILL');
      // While the server is unreachable, a call fails alone, typed and marked never sent; the
      // refusal makes the pool probe the session at once, and the failed probe ends it, so the
      // replica reads down within a probe, not after the health-check interval.
      const down = nextEvent(pool, 'status', (change) => change.to === 'down');
      const failed = await pool
        .callTool({ name: 'echo', arguments: { message: '2' } })
        .catch((e: unknown) => e);
      expect(TransportError.isInstance(failed)).toBe(true);
      expect((failed as McpmxError).code).toBe('MCPMX_TRANSPORT_ERROR');
      expect((failed as TransportError).reachedServer).toBe(false);
      expect((failed as Error).message).toContain('ECONNREFUSED');
      await down;
      expect(closed).toHaveLength(1);
      expect(closed[0]).toMatch(
        /the server is unreachable \(.*ECONNREFUSED.*\), and a probe failed too/,
      );
      await server.restart();
      // The pool reconnects with backoff; the caller sees only the result.
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: '3' } }))).toBe(
        'Echo: 3',
      );
      expect(pool.ready?.()?.id).not.toBe(session);
    } finally {
      await pool.close();
    }
  });

  it('sse: a redeployed server (killed, restarted on the same port) is reconnected: the end of its SSE stream ends the session', async () => {
    const server = await startEverythingHttp('sse');
    servers.push(server);
    const pool = createSessionPool(
      { id: 'http#sse', server: 'http', transport: { type: 'sse', url: server.url } },
      { backoff: { initialMs: 50, maxMs: 200 }, healthCheckIntervalMs: 0, acquireTimeoutMs: 500 },
    );
    try {
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: '1' } }))).toBe(
        'Echo: 1',
      );
      const closed = nextEvent(pool, 'session-closed');
      await server.kill('SIGKILL');
      expect((await closed).reason).toContain('SSE stream closed');
      const failed = await pool
        .callTool({ name: 'echo', arguments: { message: '2' } })
        .catch((e: unknown) => e);
      expect(['MCPMX_ACQUIRE_TIMEOUT', 'MCPMX_CONNECT_FAILED']).toContain(
        (failed as McpmxError).code,
      );
      expect((failed as Error).message).toMatch(
        /ECONNREFUSED|connection refused|connection failed|fetch failed/,
      );
      expect(pool.status).toBe('down');
      const up = nextEvent(pool, 'status', (change) => change.to === 'up');
      await server.restart();
      await up;
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: '3' } }))).toBe(
        'Echo: 3',
      );
    } finally {
      await pool.close();
    }
  });
});
