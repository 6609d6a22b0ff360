import { join } from 'node:path';
import { AuthRequiredError, ManualClock } from '@mcpmx/core';
import { useAuthServers } from '@mcpmx/tooling-auth-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createFileTokenStore,
  createHeadlessHandler,
  createMemoryTokenStore,
  createOAuthSession,
  type OAuthSession,
  type TokenStore,
} from '../src/index.js';
import { connectWith, tempDir, textOf } from './helpers.js';

const servers = useAuthServers({ beforeAll, beforeEach, afterAll });

const sessions: OAuthSession[] = [];
const closers: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close().catch(() => undefined);
  for (const session of sessions.splice(0)) await session.close();
});

function session(
  options: Partial<Parameters<typeof createOAuthSession>[0]> & { store: TokenStore },
) {
  const created = createOAuthSession({ server: 'protected', ...options });
  sessions.push(created);
  return created;
}

async function connect(auth: OAuthSession) {
  const client = await connectWith(auth, servers.mcp.url);
  closers.push(() => client.close());
  return client;
}

describe('OAuthSession', () => {
  it('logs in headless (DCR, PKCE, RFC 8707) and a restart with the same file store reuses the token', async () => {
    const dir = await tempDir();
    closers.push(dir.remove);
    const path = join(dir.path, 'tokens.json');
    const first = session({
      store: createFileTokenStore({ path }),
      onAuthorizationUrl: createHeadlessHandler(),
    });
    const client = await connect(first);
    expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toContain('test-user');
    expect(first.state).toBe('authorized');
    expect(servers.authServer.counts.registrations).toBe(1);
    expect(servers.authServer.counts.authorizations).toBe(1);
    expect(servers.authServer.counts.tokens.authorization_code).toBe(1);
    await client.close();

    // A new process: a new session on the same file, with no handler at all.
    const restarted = session({ store: createFileTokenStore({ path }) });
    const again = await connect(restarted);
    expect(textOf(await again.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('hi');
    expect(servers.authServer.counts.authorizations).toBe(1);
    expect(servers.authServer.counts.registrations).toBe(1);
    expect(servers.authServer.counts.tokens.refresh_token ?? 0).toBe(0);
    expect(servers.mcp.acceptedTokens.size).toBe(1);
  });

  it('with no handler and no stored token fails at once with AuthRequiredError naming mcpmx login', async () => {
    const lonely = session({ store: createMemoryTokenStore() });
    const error = await connect(lonely).catch((caught: unknown) => caught);
    expect(AuthRequiredError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('run `mcpmx login protected`');
    expect((error as AuthRequiredError).login).toBe('mcpmx login protected');
    expect(lonely.state).toBe('needs-login');
    expect(servers.authServer.counts.authorizations).toBe(0);
  });

  it('many clients and a reconnect share one token: one login', async () => {
    const shared = session({
      store: createMemoryTokenStore(),
      onAuthorizationUrl: createHeadlessHandler(),
    });
    const clients = await Promise.all([connect(shared), connect(shared), connect(shared)]);
    for (const client of clients) await client.callTool({ name: 'whoami', arguments: {} });
    for (const client of clients) await client.close();
    const later = await connect(shared);
    await later.callTool({ name: 'whoami', arguments: {} });
    expect(servers.authServer.counts.authorizations).toBe(1);
    expect(servers.authServer.counts.tokens.authorization_code).toBe(1);
    expect(servers.mcp.acceptedTokens.size).toBe(1);
  });

  it('refreshes before expiry on a manual clock', async () => {
    const clock = new ManualClock();
    const manual = session({
      store: createMemoryTokenStore(),
      onAuthorizationUrl: createHeadlessHandler(),
      clock,
    });
    const client = await connect(manual);
    await client.callTool({ name: 'whoami', arguments: {} });
    expect(servers.authServer.counts.tokens.refresh_token ?? 0).toBe(0);
    clock.advance(3600_000 - 60_000 - 1);
    await client.callTool({ name: 'whoami', arguments: {} });
    expect(servers.authServer.counts.tokens.refresh_token ?? 0).toBe(0);
    clock.advance(2);
    await client.callTool({ name: 'whoami', arguments: {} });
    expect(servers.authServer.counts.tokens.refresh_token).toBe(1);
    expect(servers.mcp.counts.unauthorized).toBe(1); // only the first, before the login
    expect(servers.authServer.counts.authorizations).toBe(1);
  });

  it('a storm of 401s on 16 calls in flight makes exactly one refresh', async () => {
    const storm = session({
      store: createMemoryTokenStore(),
      onAuthorizationUrl: createHeadlessHandler(),
    });
    const client = await connect(storm);
    await client.callTool({ name: 'whoami', arguments: {} });
    servers.mcp.invalidateTokens();
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        client.callTool({ name: 'echo', arguments: { text: `call ${index}` } }),
      ),
    );
    expect(results.map(textOf)).toEqual(Array.from({ length: 16 }, (_, index) => `call ${index}`));
    expect(servers.authServer.counts.tokens.refresh_token).toBe(1);
    expect(servers.authServer.counts.authorizations).toBe(1);
    expect(servers.mcp.counts.unauthorized).toBeGreaterThanOrEqual(16);
  });

  it('a revoked refresh token leads to AuthRequiredError without a handler', async () => {
    const store = createMemoryTokenStore();
    const first = session({ store, onAuthorizationUrl: createHeadlessHandler() });
    await (await connect(first)).callTool({ name: 'whoami', arguments: {} });
    const headless = session({ store });
    const client = await connect(headless);
    servers.authServer.revokeRefreshTokens();
    servers.mcp.invalidateTokens();
    const error = await client
      .callTool({ name: 'whoami', arguments: {} })
      .catch((caught: unknown) => caught);
    expect(AuthRequiredError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('mcpmx login protected');
    expect(servers.authServer.counts.tokenErrors.refresh_token).toBe(1);
    expect(servers.authServer.counts.authorizations).toBe(1);
  });

  it('steps up on 403 insufficient_scope and the call succeeds', async () => {
    const stepping = session({
      store: createMemoryTokenStore(),
      onAuthorizationUrl: createHeadlessHandler(),
    });
    const client = await connect(stepping);
    expect(
      JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).scopes,
    ).not.toContain('mcp:admin');
    const result = await client.callTool({ name: 'admin-echo', arguments: { text: 'up' } });
    expect(textOf(result)).toBe('admin: up');
    expect(servers.mcp.counts.forbidden).toBe(1);
    expect(servers.authServer.counts.authorizations).toBe(2);
    expect(
      JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).scopes,
    ).toContain('mcp:admin');
  });
});
