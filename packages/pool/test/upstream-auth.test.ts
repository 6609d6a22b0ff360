import {
  AuthRequiredError,
  type EndpointDescriptor,
  ManualClock,
  type SessionPool,
} from '@mcpmx/core';
import {
  createHeadlessHandler,
  createMemoryTokenStore,
  createOAuthSession,
  type OAuthSession,
} from '@mcpmx/oauth';
import { useAuthServers } from '@mcpmx/tooling-auth-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';

const servers = useAuthServers({ beforeAll, beforeEach, afterAll });

const pools: SessionPool[] = [];
const logins: OAuthSession[] = [];

afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
  for (const login of logins.splice(0)) await login.close();
});

const endpoint = (id: string): EndpointDescriptor => ({
  id,
  server: 'protected',
  transport: { type: 'streamable-http', url: servers.mcp.url },
});

function oauth(options: Partial<Parameters<typeof createOAuthSession>[0]> = {}) {
  const session = createOAuthSession({
    server: 'protected',
    store: createMemoryTokenStore(),
    ...options,
  });
  logins.push(session);
  return session;
}

function pool(id: string, options: Parameters<typeof createSessionPool>[1]) {
  const created = createSessionPool(endpoint(id), { healthCheckIntervalMs: 0, ...options });
  pools.push(created);
  return created;
}

const textOf = (result: { content?: unknown }) =>
  ((result.content ?? []) as { text?: string }[]).map((part) => part.text ?? '').join('');

describe('the pool with shared upstream auth (a real oidc-provider on loopback)', () => {
  it('logs in once for every session, replica and reconnect', async () => {
    const auth = oauth({ onAuthorizationUrl: createHeadlessHandler() });
    const first = pool('protected#0', { auth, minSessions: 2, maxSessions: 2 });
    const second = pool('protected#1', { auth, minSessions: 1, maxSessions: 1 });
    const results = await Promise.all([
      first.callTool({ name: 'whoami', arguments: {} }),
      first.callTool({ name: 'whoami', arguments: {} }),
      second.callTool({ name: 'whoami', arguments: {} }),
    ]);
    for (const result of results) expect(textOf(result)).toContain('test-user');
    expect(servers.authServer.counts.authorizations).toBe(1);
    expect(servers.authServer.counts.tokens.authorization_code).toBe(1);

    // Every connection cut, and a replica more: new sessions use the token there is.
    servers.mcp.dropConnections();
    const third = pool('protected#2', { auth });
    const again = await third.callTool({ name: 'echo', arguments: { text: 'again' } });
    expect(textOf(again)).toBe('again');
    expect(servers.authServer.counts.authorizations).toBe(1);
    expect(servers.authServer.counts.tokens.authorization_code).toBe(1);
    expect(servers.mcp.acceptedTokens.size).toBe(1);
  });

  it('with no token and no way to log in, a call fails at once with AuthRequiredError', async () => {
    // The acquire timeout is far away: only the refusal itself can end this call.
    const refused = pool('protected#0', { auth: oauth(), acquireTimeoutMs: 600_000 });
    const failure = await refused
      .callTool({ name: 'whoami', arguments: {} })
      .catch((error: unknown) => error);
    expect(AuthRequiredError.isInstance(failure)).toBe(true);
    expect((failure as AuthRequiredError).login).toBe('mcpmx login protected');
    expect((failure as Error).message).toContain('run `mcpmx login protected`');
    expect(servers.authServer.counts.authorizations).toBe(0);
  });

  it('the connect timeout stops while a login runs', async () => {
    const clock = new ManualClock();
    const connectTimeoutMs = 1_000;
    const headless = createHeadlessHandler();
    const auth = oauth({
      onAuthorizationUrl: async (url, context) => {
        // The user takes far longer than the connect timeout to log in.
        clock.advance(connectTimeoutMs * 10);
        await headless(url, context);
      },
    });
    const slow = pool('protected#0', { auth, clock, connectTimeoutMs, acquireTimeoutMs: 60_000 });
    const result = await slow.callTool({ name: 'whoami', arguments: {} });
    expect(textOf(result)).toContain('test-user');
    expect(servers.authServer.counts.authorizations).toBe(1);
  });

  it('refuses auth together with authProvider, naming the option', () => {
    const auth = oauth();
    expect(() =>
      createSessionPool(endpoint('protected#0'), {
        auth,
        authProvider: { token: async () => 'x' },
      }),
    ).toThrow(/auth/);
  });
});
