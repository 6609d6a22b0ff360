import { AuthError } from '@mcpmx/core';
import {
  type AuthServer,
  type ProtectedMcpServer,
  startAuthServer,
  startProtectedMcpServer,
} from '@mcpmx/tooling-auth-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientCredentialsAuth } from '../src/index.js';
import { connectWith, textOf } from './helpers.js';

let authServer: AuthServer;
let mcp: ProtectedMcpServer;

beforeAll(async () => {
  authServer = await startAuthServer();
  mcp = await startProtectedMcpServer({ issuer: authServer.issuer });
});
afterAll(async () => {
  await mcp?.close();
  await authServer?.close();
});
beforeEach(() => authServer.resetCounts());

describe('createClientCredentialsAuth', () => {
  it('gets a token with client_secret_basic, shared by two clients', async () => {
    const auth = createClientCredentialsAuth({
      server: 'protected',
      clientId: authServer.secretClient.clientId,
      clientSecret: authServer.secretClient.clientSecret,
      scopes: ['mcp:read'],
      issuer: authServer.issuer,
    });
    const [one, two] = await Promise.all([connectWith(auth, mcp.url), connectWith(auth, mcp.url)]);
    const who = JSON.parse(textOf(await one.callTool({ name: 'whoami', arguments: {} })));
    expect(who.clientId).toBe(authServer.secretClient.clientId);
    await two.callTool({ name: 'whoami', arguments: {} });
    expect(authServer.counts.tokens.client_credentials).toBe(1);
    await one.close();
    await two.close();
  });

  it('gets a token with private_key_jwt (PEM and JWK)', async () => {
    for (const privateKey of [
      authServer.privateKeyClient.privateKeyPem,
      authServer.privateKeyClient.privateKeyJwk as Record<string, unknown>,
    ]) {
      const auth = createClientCredentialsAuth({
        server: 'protected',
        clientId: authServer.privateKeyClient.clientId,
        privateKey,
        algorithm: 'RS256',
        scopes: ['mcp:read'],
        issuer: authServer.issuer,
      });
      const client = await connectWith(auth, mcp.url);
      const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(who.clientId).toBe(authServer.privateKeyClient.clientId);
      await client.close();
    }
    expect(authServer.counts.tokens.client_credentials).toBe(2);
  });

  it('a wrong secret fails with an AuthError naming the server, without the secret', async () => {
    const auth = createClientCredentialsAuth({
      server: 'protected',
      clientId: authServer.secretClient.clientId,
      clientSecret: 'wrong-secret-value',
      issuer: authServer.issuer,
    });
    const error = await connectWith(auth, mcp.url).catch((caught: unknown) => caught);
    expect(AuthError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('protected');
    expect((error as Error).message).not.toContain('wrong-secret-value');
    expect(authServer.counts.tokenErrors.client_credentials).toBeGreaterThanOrEqual(1);
  });
});
