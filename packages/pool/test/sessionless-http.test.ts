import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultServer, fetchListener } from '@mcpmx/tooling-test-servers';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';

// Found by the conformance suite (issue 15, client scenario tools_call): a Streamable HTTP server
// that issues no Mcp-Session-Id and answers the optional GET stream with 404 made the pool drop
// the session as "the server no longer knows the session", losing the call or the tool list.
// Without a session id there is no session to lose: the GET stream is just not offered.

/** A real stateless SDK v2 server (the fault server's tools) that answers every GET with 404. */
async function sessionlessServer(): Promise<{
  url: string;
  gets: () => number;
  close(): Promise<void>;
}> {
  const handler = createMcpHandler(() => createFaultServer({ name: 'sessionless' }));
  const serve = fetchListener(handler.fetch);
  let gets = 0;
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET') {
      gets++;
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no stream here');
      return;
    }
    serve(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    gets: () => gets,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a Streamable HTTP server without sessions', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('a 404 on the optional GET stream does not drop the pool session; calls go on', async () => {
    const upstream = await sessionlessServer();
    closers.push(upstream.close);
    const pool = createSessionPool(
      { id: 's#0', server: 's', transport: { type: 'streamable-http', url: upstream.url } },
      { healthCheckIntervalMs: 0, protocol: 'legacy' },
    );
    closers.push(() => pool.close());
    const closed: string[] = [];
    pool.on('session-closed', ({ reason }) => closed.push(reason));
    const listed = await pool.listTools();
    expect(listed.tools.length).toBeGreaterThan(0);
    // The SDK opens the GET stream after the handshake; wait until the server has refused one.
    for (let i = 0; i < 3 && upstream.gets() === 0; i++) await pool.listTools();
    const result = await pool.callTool({ name: 'echo', arguments: { message: 'still here' } });
    expect(JSON.stringify(result.content)).toContain('still here');
    expect(closed).toEqual([]);
    expect(pool.stats().sessions).toBe(1);
  });
});
