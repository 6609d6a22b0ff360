import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../test/issues-of.js';
import { parseServersConfig } from './parse-config.js';

const withAuth = (auth: unknown) =>
  parseServersConfig({ mcpServers: { remote: { url: 'https://mcp.example.com/mcp', auth } } });

describe('a server\'s "auth" key', () => {
  it('reads "oauth", OAuth settings and client_credentials', () => {
    expect(withAuth('oauth').servers.remote?.auth).toEqual({ type: 'oauth' });
    expect(
      withAuth({ clientId: 'app', scopes: ['read', 'write'], redirectPort: 8976 }).servers.remote
        ?.auth,
    ).toEqual({ type: 'oauth', clientId: 'app', scopes: ['read', 'write'], redirectPort: 8976 });
    expect(
      withAuth({ type: 'client_credentials', clientId: 'bot', clientSecret: 's3cret' }).servers
        .remote?.auth,
    ).toEqual({ type: 'client_credentials', clientId: 'bot', clientSecret: 's3cret' });
    expect(withAuth(undefined).servers.remote?.auth).toBeUndefined();
  });

  it('reads cross_app_access, interpolating the ID token in its idp block', () => {
    const config = parseServersConfig(
      {
        mcpServers: {
          remote: {
            url: 'https://mcp.example.com/mcp',
            auth: {
              type: 'cross_app_access',
              clientId: 'app',
              clientSecret: 's',
              idp: {
                issuer: 'https://idp.example.com',
                clientId: 'idp-app',
                idToken: '${ID_TOKEN}',
              },
            },
          },
        },
      },
      { env: { ID_TOKEN: 'eyJ-id-token-value' } },
    );
    expect(config.servers.remote?.auth).toMatchObject({
      type: 'cross_app_access',
      idp: { idToken: 'eyJ-id-token-value' },
    });
    expect(config.secrets).toContain('eyJ-id-token-value');
    expect(
      issuesOf(() =>
        withAuth({ type: 'cross_app_access', clientId: 'a', clientSecret: 's', idp: {} }),
      ).map((issue) => issue.path),
    ).toEqual(
      expect.arrayContaining([
        'mcpServers.remote.auth.idp.issuer',
        'mcpServers.remote.auth.idp.clientId',
        'mcpServers.remote.auth.idp.idToken',
      ]),
    );
  });

  it('interpolates its values like every other string', () => {
    const config = parseServersConfig(
      {
        mcpServers: {
          remote: {
            url: 'https://mcp.example.com/mcp',
            auth: { type: 'client_credentials', clientId: 'bot', clientSecret: '${BOT_SECRET}' },
          },
        },
      },
      { env: { BOT_SECRET: 'from-env-value' } },
    );
    expect(config.servers.remote?.auth).toMatchObject({ clientSecret: 'from-env-value' });
    expect(config.secrets).toContain('from-env-value');
  });

  it('names the problem at its path', () => {
    expect(issuesOf(() => withAuth('oath'))).toEqual([
      expect.objectContaining({
        path: 'mcpServers.remote.auth',
        expected: expect.stringContaining('"oauth"'),
      }),
    ]);
    expect(issuesOf(() => withAuth({ type: 'password', clientId: 'x' }))).toEqual([
      expect.objectContaining({
        path: 'mcpServers.remote.auth.type',
        expected: 'one of "oauth", "client_credentials", "cross_app_access"',
        found: 'password',
      }),
    ]);
    expect(issuesOf(() => withAuth({ type: 'client_credentials', clientSecret: 's' }))).toEqual([
      expect.objectContaining({ path: 'mcpServers.remote.auth.clientId', expected: 'a client id' }),
    ]);
    expect(issuesOf(() => withAuth({ type: 'client_credentials', clientId: 'bot' }))).toEqual([
      expect.objectContaining({
        path: 'mcpServers.remote.auth.clientSecret',
        expected: 'exactly one of "clientSecret" and "privateKey"',
      }),
    ]);
    expect(issuesOf(() => withAuth({ redirectPort: 70_000 }))).toEqual([
      expect.objectContaining({
        path: 'mcpServers.remote.auth.redirectPort',
        expected: 'a port from 0 to 65535',
      }),
    ]);
    expect(issuesOf(() => withAuth({ clientMetadataUrl: 'http://insecure.example/meta' }))).toEqual(
      [expect.objectContaining({ path: 'mcpServers.remote.auth.clientMetadataUrl' })],
    );
    // A replica has no auth of its own: the server's is shared by all of them.
    expect(
      issuesOf(() =>
        parseServersConfig({
          mcpServers: { remote: { replicas: [{ url: 'https://a.example/mcp', auth: 'oauth' }] } },
        }),
      ),
    ).toEqual([expect.objectContaining({ path: 'mcpServers.remote.replicas[0].auth' })]);
  });
});
