import { AuthError } from '@mcpmx/core';
import { useAuthServers } from '@mcpmx/tooling-auth-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientCredentialsAuth } from '../src/index.js';
import { connectWith, textOf } from './helpers.js';

const servers = useAuthServers({ beforeAll, beforeEach, afterAll });

describe('createClientCredentialsAuth', () => {
  it('gets a token with client_secret_basic, shared by two clients', async () => {
    const auth = createClientCredentialsAuth({
      server: 'protected',
      clientId: servers.authServer.secretClient.clientId,
      clientSecret: servers.authServer.secretClient.clientSecret,
      scopes: ['mcp:read'],
      issuer: servers.authServer.issuer,
    });
    const [one, two] = await Promise.all([
      connectWith(auth, servers.mcp.url),
      connectWith(auth, servers.mcp.url),
    ]);
    const who = JSON.parse(textOf(await one.callTool({ name: 'whoami', arguments: {} })));
    expect(who.clientId).toBe(servers.authServer.secretClient.clientId);
    await two.callTool({ name: 'whoami', arguments: {} });
    expect(servers.authServer.counts.tokens.client_credentials).toBe(1);
    await one.close();
    await two.close();
  });

  it('gets a token with private_key_jwt (PEM and JWK)', async () => {
    for (const privateKey of [
      servers.authServer.privateKeyClient.privateKeyPem,
      servers.authServer.privateKeyClient.privateKeyJwk as Record<string, unknown>,
    ]) {
      const auth = createClientCredentialsAuth({
        server: 'protected',
        clientId: servers.authServer.privateKeyClient.clientId,
        privateKey,
        algorithm: 'RS256',
        scopes: ['mcp:read'],
        issuer: servers.authServer.issuer,
      });
      const client = await connectWith(auth, servers.mcp.url);
      const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(who.clientId).toBe(servers.authServer.privateKeyClient.clientId);
      await client.close();
    }
    expect(servers.authServer.counts.tokens.client_credentials).toBe(2);
  });

  it('a wrong secret fails with an AuthError naming the server, without the secret', async () => {
    const auth = createClientCredentialsAuth({
      server: 'protected',
      clientId: servers.authServer.secretClient.clientId,
      clientSecret: 'wrong-secret-value',
      issuer: servers.authServer.issuer,
    });
    const error = await connectWith(auth, servers.mcp.url).catch((caught: unknown) => caught);
    expect(AuthError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('protected');
    expect((error as Error).message).not.toContain('wrong-secret-value');
    expect(servers.authServer.counts.tokenErrors.client_credentials).toBeGreaterThanOrEqual(1);
  });
});
