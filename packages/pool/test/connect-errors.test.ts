import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthError,
  ConnectError,
  type EndpointDescriptor,
  EndpointNotFoundError,
  ManualClock,
  type SessionPool,
  type TransportConfig,
} from '@mcpmx/core';
import { type ChildServer, getFreePort, startFaultHttpServer } from '@mcpmx/tooling-test-servers';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';

// Row #6 of issue 14: a connect that fails says what a user can act on, and 401/403/404 are
// classified once, as refusals that waiting does not cure. Every peer here is real: a closed
// port, an unresolvable name, an HTTP server answering 404 or 401, a missing command or script.

const endpoint = (transport: TransportConfig): EndpointDescriptor => ({
  id: 'srv#0',
  server: 'srv',
  transport,
});

const pools: SessionPool[] = [];
const servers: Server[] = [];
const children: ChildServer[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
  await Promise.all(children.splice(0).map((child) => child.close()));
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

/** The error of the pool's first failed connect attempt. */
async function firstFailure(
  transport: TransportConfig,
  options: Parameters<typeof createSessionPool>[1] = {},
): Promise<ConnectError> {
  const pool = createSessionPool(endpoint(transport), { healthCheckIntervalMs: 0, ...options });
  pools.push(pool);
  const error = await new Promise<unknown>((resolve) => {
    const off = pool.on('status', ({ to, error: cause }) => {
      if (to === 'down') {
        off();
        resolve(cause);
      }
    });
  });
  expect(ConnectError.isInstance(error)).toBe(true);
  const failure = error as ConnectError;
  // Whatever went wrong, no SDK-internal wording reaches the user.
  expect(failure.message).not.toMatch(/probed in place|disposable sibling|Version negotiation/);
  return failure;
}

/** A real HTTP server answering every request with `status`; counts the requests. */
async function answering(status: number) {
  const seen: { count: number; next?: () => void } = { count: 0 };
  const server = createServer((request, response) => {
    request.resume();
    seen.count++;
    seen.next?.();
    response.writeHead(status, { 'content-type': 'text/plain' }).end(`HTTP ${status}\n`);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, seen };
}

describe('connect errors a user can act on', () => {
  it('a closed port: "connection refused (127.0.0.1:PORT)" (was: "fetch failed")', async () => {
    const port = await getFreePort();
    const error = await firstFailure({
      type: 'streamable-http',
      url: `http://127.0.0.1:${port}/mcp`,
    });
    expect(error.message).toContain(`connection refused (127.0.0.1:${port})`);
  });

  it('a closed port over legacy SSE: the same words', async () => {
    const port = await getFreePort();
    const error = await firstFailure({ type: 'sse', url: `http://127.0.0.1:${port}/sse` });
    expect(error.message).toContain(`connection refused (127.0.0.1:${port})`);
  });

  it('a port fetch blocks (9, "discard"): says so (was: "fetch failed")', async () => {
    const error = await firstFailure({ type: 'streamable-http', url: 'http://127.0.0.1:9/mcp' });
    expect(error.message).toContain('fetch refuses to connect to port 9');
    expect(error.message).not.toContain('fetch failed');
  });

  it('a URL with credentials: says to move them to a header, and never shows them', async () => {
    const port = await getFreePort();
    const error = await firstFailure({
      type: 'streamable-http',
      url: `http://user:s3cret-pass@127.0.0.1:${port}/mcp`,
    });
    expect(error.message).toContain('the URL carries a user name or password');
    expect(error.message).not.toContain('s3cret-pass');
  });

  it('an unresolvable host: "DNS lookup failed for HOST" (was: "fetch failed")', async () => {
    const error = await firstFailure({
      type: 'streamable-http',
      url: 'http://nonexistent.invalid/mcp',
    });
    expect(error.message).toContain('DNS lookup failed for nonexistent.invalid');
  });

  it('a wrong path on a real MCP server: EndpointNotFoundError, "HTTP 404 from /wrong-path" (was: "the connection closed during the handshake (no detail)")', async () => {
    const child = await startFaultHttpServer();
    children.push(child);
    const error = await firstFailure({
      type: 'streamable-http',
      url: `http://127.0.0.1:${child.port}/wrong-path?token=abc`,
    });
    expect(EndpointNotFoundError.isInstance(error)).toBe(true);
    expect(error.code).toBe('MCPMX_ENDPOINT_NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.message).toContain('HTTP 404 from /wrong-path');
    expect(error.message).not.toContain('no detail');
    // The URL's query stays out of it.
    expect(error.message).not.toContain('token=abc');
  });

  it('HTTP 401: an AuthError with the status and path', async () => {
    const { port } = await answering(401);
    const error = await firstFailure({
      type: 'streamable-http',
      url: `http://127.0.0.1:${port}/mcp`,
    });
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error.code).toBe('MCPMX_AUTH_FAILED');
    expect(error.status).toBe(401);
    expect(error.message).toContain('HTTP 401 from /mcp');
    expect(error.message).toContain('requires authorization');
  });

  it('HTTP 403: an AuthError too', async () => {
    const { port } = await answering(403);
    const error = await firstFailure({ type: 'sse', url: `http://127.0.0.1:${port}/sse` });
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error.message).toContain('HTTP 403 from /sse');
  });

  it('HTTP 503: a ConnectError with the status, not an auth or config error', async () => {
    const { port } = await answering(503);
    const error = await firstFailure({
      type: 'streamable-http',
      url: `http://127.0.0.1:${port}/mcp`,
    });
    expect(error.code).toBe('MCPMX_CONNECT_FAILED');
    expect(error.status).toBe(503);
    expect(error.message).toContain('HTTP 503 from /mcp');
  });

  it('a command that does not exist: "command not found"', async () => {
    const error = await firstFailure({ type: 'stdio', command: 'mcpmx-no-such-command' });
    expect(error.message).toContain('command not found: "mcpmx-no-such-command"');
  });

  it('a node script that does not exist: the stderr quote keeps the line naming the path', async () => {
    const script = '/nonexistent/mcpmx/missing-server.js';
    const error = await firstFailure({ type: 'stdio', command: process.execPath, args: [script] });
    expect(error.message).toContain('exited with code 1');
    expect(error.message).toContain(`Cannot find module '${script}'`);
    // Stack frames name no problem: they are left out of the quote.
    expect(error.message).not.toMatch(/\|\s+at /);
  });
});

describe('401/403/404 are not retried as network faults', () => {
  it('a call fails at once with the AuthError, and the next attempt waits the longest backoff', async () => {
    const { port, seen } = await answering(401);
    const clock = new ManualClock();
    const backoff = { initialMs: 100, factor: 2, maxMs: 30_000 };
    const pool = createSessionPool(
      endpoint({ type: 'streamable-http', url: `http://127.0.0.1:${port}/mcp` }),
      { clock, backoff, healthCheckIntervalMs: 0, acquireTimeoutMs: 60_000 },
    );
    pools.push(pool);
    await new Promise<void>((resolve) => {
      const off = pool.on('status', ({ to }) => {
        if (to === 'down') {
          off();
          resolve();
        }
      });
    });
    // The acquire timeout never runs on this clock: the call is refused with the reason.
    const failure = await pool
      .callTool({ name: 'echo', arguments: {} })
      .catch((error: unknown) => error);
    expect(AuthError.isInstance(failure)).toBe(true);
    expect(pool.stats().waiting).toBe(0);

    const attempts = seen.count;
    // A network fault would be retried after initialMs (with jitter, at most 100 ms here).
    expect(clock.pending()).toContain(backoff.maxMs);
    clock.advance(backoff.initialMs * 10);
    expect(seen.count).toBe(attempts);
    const again = new Promise<void>((resolve) => {
      seen.next = resolve;
    });
    clock.advance(backoff.maxMs);
    await again;
    expect(seen.count).toBeGreaterThan(attempts);
  });

  it('a 404 refuses waiting calls at once too', async () => {
    const { port } = await answering(404);
    const clock = new ManualClock();
    const pool = createSessionPool(
      endpoint({ type: 'streamable-http', url: `http://127.0.0.1:${port}/wrong` }),
      { clock, healthCheckIntervalMs: 0, acquireTimeoutMs: 60_000 },
    );
    pools.push(pool);
    // Called while the first attempt is still on its way: the waiter is refused when it fails.
    const failure = await pool.acquire().catch((error: unknown) => error);
    expect(EndpointNotFoundError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toContain('HTTP 404 from /wrong');
  });
});
