import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthRequiredError } from '@mcpmx/core';
import { createFileTokenStore, createHeadlessHandler, createMemoryTokenStore } from '@mcpmx/oauth';
import { useAuthServers } from '@mcpmx/tooling-auth-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientsClosedAfterEach, everything, testPool, text } from './helpers.js';

const servers = useAuthServers({ beforeAll, beforeEach, afterAll });

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcpmx-client-oauth-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const protectedServer = (extra: Record<string, unknown> = {}) => ({
  mcpServers: { protected: { url: servers.mcp.url, ...extra } },
});

describe('the client logs in to OAuth-protected servers (a real oidc-provider on loopback)', () => {
  const makeClient = clientsClosedAfterEach();

  it('"auth": "oauth" logs in once, and a restart on the same file store logs in no more', async () => {
    const path = join(dir, 'restart.json');
    const first = makeClient({
      config: protectedServer({ auth: 'oauth' }),
      pool: { ...testPool, minSessions: 2, maxSessions: 2 },
      oauth: { store: createFileTokenStore({ path }), onAuthorizationUrl: createHeadlessHandler() },
    });
    expect((await first.start()).up).toEqual(['protected']);
    expect(text(await first.callTool('whoami', {}))).toContain('test-user');
    expect(servers.authServer.counts.authorizations).toBe(1);
    await first.close();

    // A new process: the same file, and no way to log in.
    const second = makeClient({
      config: protectedServer({ auth: 'oauth' }),
      pool: testPool,
      oauth: { store: createFileTokenStore({ path }) },
    });
    expect((await second.start()).up).toEqual(['protected']);
    expect(text(await second.callTool('echo', { text: 'again' }))).toBe('again');
    expect(servers.authServer.counts.authorizations).toBe(1);
  });

  it('without an auth key, a 401 with a Bearer challenge starts OAuth on its own', async () => {
    const client = makeClient({
      config: protectedServer(),
      pool: testPool,
      oauth: { store: createMemoryTokenStore(), onAuthorizationUrl: createHeadlessHandler() },
    });
    expect((await client.start()).up).toEqual(['protected']);
    expect(text(await client.callTool('whoami', {}))).toContain('test-user');
    expect(servers.authServer.counts.authorizations).toBe(1);
  });

  it('a server that needs a login it cannot get is down with AuthRequiredError; the others serve', async () => {
    const client = makeClient({
      config: protectedServer(),
      endpoints: [everything()],
      pool: { ...testPool, acquireTimeoutMs: 600_000 },
      oauth: { store: createMemoryTokenStore() },
    });
    const { up, failed } = await client.start();
    expect(up).toEqual(['everything']);
    expect(failed.map((failure) => failure.server)).toEqual(['protected']);
    const reason = failed[0]?.error;
    expect(AuthRequiredError.isInstance(reason)).toBe(true);
    expect(reason?.message).toContain('run `mcpmx login protected`');
    expect(text(await client.callTool('echo', { message: 'still here' }))).toContain('still here');
    expect(servers.authServer.counts.authorizations).toBe(0);
  });

  it('client_credentials from the config: one token for every session', async () => {
    const client = makeClient({
      config: protectedServer({
        auth: {
          type: 'client_credentials',
          clientId: servers.authServer.secretClient.clientId,
          clientSecret: '${M2M_SECRET}',
          issuer: servers.authServer.issuer,
        },
      }),
      env: { M2M_SECRET: servers.authServer.secretClient.clientSecret },
      pool: { ...testPool, minSessions: 2, maxSessions: 2 },
      oauth: false,
    });
    expect((await client.start()).up).toEqual(['protected']);
    const who = JSON.parse(text(await client.callTool('whoami', {})) ?? '{}');
    expect(who.clientId).toBe(servers.authServer.secretClient.clientId);
    await client.callTool('whoami', {});
    expect(servers.authServer.counts.tokens.client_credentials).toBe(1);
    // The secret is a config secret: redacted from what the client shows.
    expect(JSON.stringify(client.snapshot())).not.toContain(
      servers.authServer.secretClient.clientSecret,
    );
  });

  it('a 401 without a Bearer challenge (an API-key server) stays its AuthError: no OAuth', async () => {
    const paths: string[] = [];
    const plain = createServer((request, response) => {
      paths.push(request.url ?? '');
      request.resume();
      response.writeHead(401, { 'content-type': 'text/plain' }).end('API key required');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as AddressInfo;
      const client = makeClient({
        config: { mcpServers: { keyed: { url: `http://127.0.0.1:${port}/mcp` } } },
        pool: testPool,
        oauth: { store: createMemoryTokenStore(), onAuthorizationUrl: createHeadlessHandler() },
      });
      const { failed } = await client.start();
      expect(failed[0]?.error.message).toMatch(
        /HTTP 401 from \/mcp: the server requires authorization/,
      );
      // No discovery ran: only the MCP endpoint was asked (no /.well-known/ request).
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.filter((path) => path !== '/mcp')).toEqual([]);
      await client.close();
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('oauth: false leaves a server without an auth key to its 401', async () => {
    const client = makeClient({ config: protectedServer(), pool: testPool, oauth: false });
    const { failed } = await client.start();
    expect(failed[0]?.error.message).toMatch(
      /HTTP 401 from \/mcp: the server requires authorization/,
    );
    expect(AuthRequiredError.isInstance(failed[0]?.error)).toBe(false);
  });
});
