import type { McpmxError } from '@mcpmx/core';
import { type ChildServer, startEverythingHttp } from '@mcpmx/tooling-test-servers';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { nextEvent, text } from './helpers.js';

describe('healing over HTTP', () => {
  const servers: ChildServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it.each(['streamableHttp', 'sse'] as const)(
    '%s: a redeployed server (killed, restarted on the same port) is reconnected',
    async (mode) => {
      const server = await startEverythingHttp(mode);
      servers.push(server);
      const pool = createSessionPool(
        {
          id: `http#${mode}`,
          server: 'http',
          transport: { type: mode === 'sse' ? 'sse' : 'streamable-http', url: server.url },
        },
        { backoff: { initialMs: 50, maxMs: 200 }, healthCheckIntervalMs: 0, acquireTimeoutMs: 500 },
      );
      try {
        expect(text(await pool.callTool({ name: 'echo', arguments: { message: '1' } }))).toBe(
          'Echo: 1',
        );
        await server.kill('SIGKILL');
        // The call fails typed and fast: the session is replaced, no new one can open yet.
        const failed = await pool
          .callTool({ name: 'echo', arguments: { message: '2' } })
          .catch((e: unknown) => e);
        expect(['MCPMX_SESSION_CLOSED', 'MCPMX_ACQUIRE_TIMEOUT']).toContain(
          (failed as McpmxError).code,
        );
        expect((failed as Error).message).toMatch(/ECONNREFUSED|connection failed|fetch failed/);
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
    },
  );
});
