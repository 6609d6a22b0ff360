import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthServer,
  obtainUserTokens,
  type ProtectedMcpServer,
  startAuthServer,
  startProtectedMcpServer,
} from '../src/index.js';

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

async function clientCredentials(scope: string): Promise<string> {
  const { clientId, clientSecret } = authServer.secretClient;
  const response = await fetch(`${authServer.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: mcp.resource }),
  });
  const body = (await response.json()) as { access_token: string };
  expect(response.status).toBe(200);
  return body.access_token;
}

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'fixture-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcp.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

describe('protected MCP server', () => {
  it('answers 401 with a resource_metadata challenge and serves its metadata', async () => {
    const response = await fetch(mcp.url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain(
      `resource_metadata="${mcp.resourceMetadataUrl}"`,
    );
    const metadata = (await (await fetch(mcp.resourceMetadataUrl)).json()) as {
      resource: string;
      authorization_servers: string[];
    };
    expect(metadata.resource).toBe(mcp.resource);
    expect(metadata.authorization_servers.map((url) => url.replace(/\/$/, ''))).toEqual([
      authServer.issuer,
    ]);
  });

  it('accepts a client-credentials JWT for the resource and refuses admin-echo without mcp:admin', async () => {
    const token = await clientCredentials('mcp:read');
    expect(decodeJwt(token).aud).toBe(mcp.resource);
    const client = await connect(token);
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.stringify(who.content)).toContain(authServer.secretClient.clientId);
    await expect(client.callTool({ name: 'admin-echo', arguments: { text: 'x' } })).rejects.toThrow(
      /insufficient scope/i,
    );
    expect(mcp.counts.forbidden).toBeGreaterThan(0);
    await client.close();

    const admin = await connect(await clientCredentials('mcp:read mcp:admin'));
    const result = await admin.callTool({ name: 'admin-echo', arguments: { text: 'x' } });
    expect(result.content).toEqual([{ type: 'text', text: 'admin: x' }]);
    await admin.close();
  });

  it('refuses a token for another audience and an invalidated token', async () => {
    const other = await startProtectedMcpServer({ issuer: authServer.issuer });
    try {
      const token = await clientCredentials('mcp:read');
      const wrongAudience = await fetch(other.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: '{}',
      });
      expect(wrongAudience.status).toBe(401);
    } finally {
      await other.close();
    }
    const token = await clientCredentials('mcp:read');
    const client = await connect(token);
    mcp.invalidateTokens();
    await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow();
    await client.close().catch(() => undefined);
  });
});

describe('authorization server', () => {
  it('runs the authorization code flow with PKCE for a chosen user, and refreshes', async () => {
    authServer.resetCounts();
    const tokens = await obtainUserTokens({
      issuer: authServer.issuer,
      clientId: authServer.publicClient.clientId,
      resource: mcp.resource,
      scope: 'mcp:read',
      accountId: 'alice',
    });
    const claims = decodeJwt(tokens.access_token);
    expect(claims.sub).toBe('alice');
    expect(claims.aud).toBe(mcp.resource);
    expect(tokens.refresh_token).toBeTypeOf('string');
    expect(authServer.counts.authorizations).toBe(1);
    expect(authServer.counts.tokens.authorization_code).toBe(1);

    const refresh = await fetch(`${authServer.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: String(tokens.refresh_token),
        client_id: authServer.publicClient.clientId,
        resource: mcp.resource,
      }),
    });
    expect(refresh.status).toBe(200);
    expect(authServer.counts.tokens.refresh_token).toBe(1);

    expect(authServer.revokeRefreshTokens()).toBeGreaterThan(0);
    const again = await fetch(`${authServer.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: String(tokens.refresh_token),
        client_id: authServer.publicClient.clientId,
      }),
    });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('registers clients dynamically', async () => {
    const response = await fetch(`${authServer.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['http://127.0.0.1:4567/callback'],
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
      }),
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { client_id: string }).client_id).toBeTypeOf('string');
    expect(authServer.counts.registrations).toBe(1);
  });
});
