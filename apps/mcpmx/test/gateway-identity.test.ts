import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuthServer, obtainUserTokens, startAuthServer } from '@mcpmx/tooling-auth-server';
import { getFreePort, testServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from './gateway-process.js';

let authServer: AuthServer;
let gateway: GatewayProcess;
let resource: string;
let dir: string;
let auditFile: string;
const clients: Client[] = [];

/** What alice and bob may do: both echo and stats; only an mcp:admin token may count. */
const config = () => ({
  mcpServers: {
    faults: {
      command: process.execPath,
      args: [testServers.fault],
      // Its lists say they may be cached by anyone for a minute (2026-07-28).
      env: { FAULT_LIST_TTL_MS: '60000', FAULT_LIST_CACHE_SCOPE: 'public' },
    },
  },
  cache: { enabled: true, ttlMs: 600_000 },
  gateway: {
    auth: { issuer: authServer.issuer, resource, scopes: ['mcp:read', 'mcp:admin'] },
    policy: [
      { allow: { faults: ['echo', 'stats'] } },
      { when: { scope: 'mcp:admin' }, allow: { faults: ['count'] } },
    ],
  },
});

const tokenFor = async (accountId: string, scope: string) =>
  (
    await obtainUserTokens({
      issuer: authServer.issuer,
      clientId: authServer.publicClient.clientId,
      resource,
      scope,
      accountId,
    })
  ).access_token;

/** A downstream SDK client of the gateway, sending `token` (2025-11-25, or 2026-07-28). */
async function connect(token: string, modern = false): Promise<Client> {
  const sdk = new Client(
    { name: 'identity-test', version: '0.0.0' },
    modern ? { capabilities: {}, versionNegotiation: { mode: 'auto' } } : {},
  );
  clients.push(sdk);
  await sdk.connect(
    new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return sdk;
}

const textOf = (result: { content?: unknown }) =>
  ((result.content ?? []) as { text?: string }[]).map((part) => part.text ?? '').join('');

beforeAll(async () => {
  authServer = await startAuthServer();
  const port = await getFreePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  dir = await mkdtemp(join(tmpdir(), 'mcpmx-identity-'));
  auditFile = join(dir, 'audit.jsonl');
  gateway = await startGatewayProcess(config(), ['--audit', auditFile], process.env, port);
}, 60_000);
afterAll(async () => {
  for (const sdk of clients.splice(0)) await sdk.close().catch(() => undefined);
  await gateway?.close();
  await authServer?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the gateway as an OAuth protected resource (JWTs from a real oidc-provider)', () => {
  it('answers a request without a token 401 naming its metadata, which names the issuer', async () => {
    const refused = await fetch(`${gateway.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(`${gateway.url}/.well-known/oauth-protected-resource/mcp`);
    const metadata = await (await fetch(metadataUrl as string)).json();
    expect(metadata).toMatchObject({
      resource,
      authorization_servers: [expect.stringContaining(authServer.issuer)],
      scopes_supported: ['mcp:read', 'mcp:admin'],
    });
    // /status and /metrics are behind the same door; /healthz is not.
    expect((await fetch(`${gateway.url}/status`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });

  it('refuses a token for another resource, and a forged one', async () => {
    const elsewhere = (
      await obtainUserTokens({
        issuer: authServer.issuer,
        clientId: authServer.publicClient.clientId,
        resource: 'http://127.0.0.1:1/other',
        accountId: 'alice',
      })
    ).access_token;
    const [header, payload] = elsewhere.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(40)}`;
    for (const token of [elsewhere, forged, 'not-a-jwt']) {
      const response = await fetch(`${gateway.url}/status`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('invalid_token');
      expect(await response.text()).not.toContain(token);
    }
  });

  it('two users with different scopes: the lists differ, a denied tool is an unknown tool, and private results never cross', {
    timeout: 60_000,
  }, async () => {
    const alice = await connect(await tokenFor('alice', 'mcp:read'));
    const bob = await connect(await tokenFor('bob', 'mcp:read mcp:admin'));
    const names = async (sdk: Client) => (await sdk.listTools()).tools.map((tool) => tool.name);
    expect((await names(alice)).sort()).toEqual(['echo', 'stats']);
    expect((await names(bob)).sort()).toEqual(['count', 'echo', 'stats']);

    // alice's call to count is answered as a call to a tool that does not exist.
    const denied = await alice.callTool({ name: 'count', arguments: { key: 'k' } });
    const unknown = await alice.callTool({ name: 'no-such-tool', arguments: {} });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toBe('Unknown tool "count".');
    expect(textOf(unknown)).toMatch(/^Unknown tool "no-such-tool"\./);
    expect(textOf(unknown)).not.toContain('count');

    // stats is read-only, so cached: alice's answer is alice's, bob's is bob's.
    const aliceFirst = textOf(await alice.callTool({ name: 'stats', arguments: {} }));
    expect(textOf(await bob.callTool({ name: 'count', arguments: { key: 'k' } }))).toContain('1');
    const bobStats = textOf(await bob.callTool({ name: 'stats', arguments: {} }));
    expect(JSON.parse(bobStats).executions.count).toBe(1);
    expect(bobStats).not.toBe(aliceFirst);
    // alice's cached answer still stands (the cache is on), from before bob's count.
    const aliceAgain = textOf(await alice.callTool({ name: 'stats', arguments: {} }));
    expect(aliceAgain).toBe(aliceFirst);
    expect(JSON.parse(aliceAgain).executions.count).toBeUndefined();
  });

  it('a 2026-07-28 client gets its own filtered list, marked private though the upstream said public', async () => {
    const alice = await connect(await tokenFor('alice', 'mcp:read'), true);
    const listed = (await alice.listTools()) as {
      tools: { name: string }[];
      cacheScope?: string;
      ttlMs?: number;
    };
    expect(listed.tools.map((tool) => tool.name).sort()).toEqual(['echo', 'stats']);
    expect(listed.cacheScope).toBe('private');
    expect(listed.ttlMs).toBeGreaterThan(0);
    const denied = await alice.callTool({ name: 'count', arguments: { key: 'k' } });
    expect(textOf(denied)).toBe('Unknown tool "count".');
  });

  it('a session belongs to the principal that opened it', async () => {
    const alice = await connect(await tokenFor('alice', 'mcp:read'));
    const sessionId = (alice.transport as StreamableHTTPClientTransport).sessionId;
    expect(sessionId).toBeDefined();
    const bobToken = await tokenFor('bob', 'mcp:read mcp:admin');
    const stolen = await fetch(`${gateway.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bobToken}`,
        'mcp-session-id': sessionId as string,
        'mcp-protocol-version': '2025-11-25',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(stolen.status).toBe(403);
  });

  it('audits each call as a JSON line: principal, tool, server, outcome, and no arguments', async () => {
    const lines = (await readFile(auditFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ principal: 'alice', tool: 'count', outcome: 'denied' }),
        expect.objectContaining({ principal: 'alice', tool: 'no-such-tool', outcome: 'failed' }),
        expect.objectContaining({
          principal: 'bob',
          tool: 'count',
          server: 'faults',
          outcome: 'ok',
          event: 'tools/call',
        }),
      ]),
    );
    for (const line of lines) {
      expect(line).not.toHaveProperty('arguments');
      expect(typeof line.durationMs).toBe('number');
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    }
  });
});
