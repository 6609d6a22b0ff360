import { request as httpRequest } from 'node:http';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { inFlight, testServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../src/http-gateway.js';

const fault = (server: string, env: Record<string, string> = {}) => ({
  id: `${server}#0`,
  server,
  transport: { type: 'stdio' as const, command: process.execPath, args: [testServers.fault], env },
});

/** A raw HTTP GET with chosen headers (fetch does not let tests forge Host). */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the gateway over HTTP', () => {
  let client: MultiServerClient | undefined;
  let gateway: HttpGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    await client?.close();
    gateway = undefined;
    client = undefined;
  });

  const start = async (extra: Partial<Parameters<typeof startHttpGateway>[0]> = {}) => {
    client = createMultiServerClient({
      endpoints: [fault('alpha'), fault('beta'), fault('gamma', { FAULT_TOOL_PREFIX: 'g_' })],
      pool: { healthCheckIntervalMs: 0 },
    });
    await client.start();
    gateway = await startHttpGateway({ client, ...extra });
    return gateway;
  };

  it('an SDK client calls tools of three upstream servers over Streamable HTTP', async () => {
    const { url } = await start();
    const sdk = new Client({ name: 'http-test', version: '0.0.0' });
    await sdk.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
    try {
      const names = (await sdk.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['alpha__echo', 'beta__echo', 'g_echo']));
      const result = await sdk.callTool({ name: 'g_echo', arguments: { message: 'over http' } });
      expect((result.content as { text: string }[])[0]?.text).toBe('Echo: over http');
    } finally {
      await sdk.close();
    }
  });

  it('announces upstream list changes to 2026-07-28 subscribers over HTTP', async () => {
    const { url } = await start();
    // A second mcpmx client, downstream of the gateway: it opens subscriptions/listen.
    const downstream = createMultiServerClient({
      endpoints: [
        {
          id: 'gateway#0',
          server: 'gateway',
          transport: { type: 'streamable-http', url: `${url}/mcp` },
        },
      ],
      pool: { healthCheckIntervalMs: 0 },
      refreshDebounceMs: 10,
    });
    try {
      await downstream.start();
      expect(downstream.catalog().resolveTool('g_late')).toBeUndefined();
      const seen = new Promise<void>((resolve) => {
        downstream.on('catalog-changed', () => {
          if (downstream.catalog().resolveTool('g_late')) resolve();
        });
      });
      await client?.callTool('g_add-tool', { name: 'late' }); // gamma adds g_late, announces it
      await seen;
      const result = await downstream.callTool('g_late', {});
      expect((result.content as { text: string }[])[0]?.text).toBe('I am late');
    } finally {
      await downstream.close();
    }
  });

  it("passes the upstream lists' caching hint on to 2026-07-28 clients", async () => {
    const hinted = { FAULT_LIST_TTL_MS: '60000', FAULT_LIST_CACHE_SCOPE: 'public' };
    client = createMultiServerClient({
      endpoints: [fault('alpha', hinted), fault('beta', { ...hinted, FAULT_LIST_TTL_MS: '30000' })],
      pool: { healthCheckIntervalMs: 0 },
    });
    await client.start();
    gateway = await startHttpGateway({ client });
    const sdk = new Client(
      { name: 'hint-test', version: '0.0.0' },
      { capabilities: {}, versionNegotiation: { mode: 'auto' } },
    );
    await sdk.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
    try {
      const listed = (await sdk.listTools()) as { ttlMs?: number; cacheScope?: string };
      expect(listed.cacheScope).toBe('public');
      expect(listed.ttlMs).toBeGreaterThan(20_000); // beta's 30 s, less the time since fetched
      expect(listed.ttlMs).toBeLessThanOrEqual(30_000);
    } finally {
      await sdk.close();
    }
  });

  it('serves /healthz, /status and /metrics beside /mcp', async () => {
    const { url } = await start();
    await client?.callTool('alpha__echo', { message: 'm' });
    const health = await get(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', serversUp: 3 });
    const status = JSON.parse((await get(`${url}/status`)).body);
    expect(status.servers.map((s: { name: string }) => s.name)).toEqual(['alpha', 'beta', 'gamma']);
    const metrics = await get(`${url}/metrics`);
    expect(metrics.body).toMatch(/mcpmx_requests_total\{[^}]*server="alpha"/);
  });

  it('refuses a foreign Host or Origin (DNS rebinding)', async () => {
    const { url } = await start();
    expect((await get(`${url}/status`, { host: 'evil.example' })).status).toBe(403);
    expect((await get(`${url}/status`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`${url}/status`)).status).toBe(200);
  });

  it('answers a malformed Host 400 without echoing it (it was a 500 repeating the header)', async () => {
    const { url } = await start();
    for (const host of ['localhost:1@evil.example', 'localhost:abc', '[::1']) {
      const response = await get(`${url}/status`, { host });
      expect(response.status, host).toBe(400);
      expect(response.body, host).toContain('malformed Host header');
      expect(response.body, host).not.toContain(host);
    }
    expect((await get(`${url}/healthz`)).status).toBe(200);
  });

  it('answers requests past maxConcurrentRequests 503 with Retry-After; /healthz still answers; counted and logged', async () => {
    const logged: string[] = [];
    const { url } = await start({
      limits: { maxConcurrentRequests: 2 },
      log: (line) => logged.push(line),
    });
    const call = (id: number, name: string, args: Record<string, unknown>) =>
      fetch(`${url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: { name, arguments: args },
        }),
      });
    const started = Promise.all(
      ['alpha__slow', 'beta__slow'].map((tool) => inFlight(client as MultiServerClient, tool, 1)),
    );
    const held = [call(1, 'alpha__slow', { ms: 1000 }), call(2, 'beta__slow', { ms: 1000 })];
    await started;
    const refused = await call(3, 'g_echo', { message: 'third' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const refusal = (await refused.json()) as { error: { message: string } };
    expect(refusal.error.message).toMatch(/maxConcurrentRequests/);
    expect((await get(`${url}/healthz`)).status).toBe(200);
    for (const response of await Promise.all(held)) {
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('slept 1000');
    }
    const after = await call(4, 'g_echo', { message: 'fourth' });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Echo: fourth');
    expect((await get(`${url}/metrics`)).body).toMatch(/^mcpmx_gateway_requests_refused_total 1$/m);
    expect(logged).toEqual([
      expect.stringMatching(
        /^front door: answered a request 503: maxConcurrentRequests are being served \(limits: \d+ connections, \d+ per address, 2 requests at once\)/,
      ),
    ]);
  });

  it('refuses limits that leave no room, naming the option', async () => {
    client = createMultiServerClient({
      endpoints: [fault('alpha')],
      pool: { healthCheckIntervalMs: 0 },
    });
    await expect(
      startHttpGateway({ client, limits: { maxConnections: 20, maxConcurrentRequests: 10 } }),
    ).rejects.toThrow(
      /maxConcurrentRequests must be below maxConnections \(20\) less the dashboard's clients \(16\)/,
    );
    await expect(
      startHttpGateway({ client, limits: { maxConnections: 10, maxConnectionsPerAddress: 11 } }),
    ).rejects.toThrow(/maxConnectionsPerAddress must be an integer from 1 to 10 \(got 11\)/);
    await expect(
      startHttpGateway({ client, limits: { headersTimeoutMs: 5000, requestTimeoutMs: 1000 } }),
    ).rejects.toThrow(/requestTimeoutMs must be an integer >= 5000 \(got 1000\)/);
    await expect(
      startHttpGateway({ client, limits: { maxConnections: 100_000_000 } }),
    ).rejects.toThrow(/maxConnections must be an integer from 2 to \d+ \(got 100000000\)/);
  });

  it('refuses a request body over 4 MiB with 413 and keeps serving', async () => {
    const { url } = await start();
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'alpha__echo', arguments: { message: 'x'.repeat(5 * 1024 * 1024) } },
    });
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: huge,
    });
    expect(response.status).toBe(413);
    expect((await get(`${url}/healthz`)).status).toBe(200);
  });

  it('requires a token off loopback, and refuses requests without it when set', async () => {
    client = createMultiServerClient({
      endpoints: [fault('alpha')],
      pool: { healthCheckIntervalMs: 0 },
    });
    await expect(startHttpGateway({ client, host: '0.0.0.0' })).rejects.toThrow(
      /token must be a bearer token when binding to 0\.0\.0\.0/,
    );
    await client.close();
    client = undefined;
    const { url } = await start({ token: 's3cret' });
    expect((await get(`${url}/status`)).status).toBe(401);
    expect((await get(`${url}/status`, { authorization: 'Bearer wrong!' })).status).toBe(401);
    expect((await get(`${url}/status`, { authorization: 'Bearer s3cret' })).status).toBe(200);
  });

  it('keeps secrets from the config out of /status and /metrics', async () => {
    const secret = 'hunter2-secret-token';
    client = createMultiServerClient({
      config: {
        mcpServers: {
          local: {
            command: process.execPath,
            args: [testServers.fault],
            env: { API_KEY: '${SECRET}' },
          },
          remote: {
            url: 'http://127.0.0.1:9/mcp?key=${SECRET}',
            headers: { Authorization: 'Bearer ${SECRET}' },
          },
        },
      },
      env: { SECRET: secret },
      pool: { healthCheckIntervalMs: 0, acquireTimeoutMs: 5000 },
    });
    await client.start();
    gateway = await startHttpGateway({ client });
    await client.callTool('echo', { message: 'x' });
    const status = await get(`${gateway.url}/status`);
    const metrics = await get(`${gateway.url}/metrics`);
    expect(status.body).toContain('remote#0');
    expect(status.body).not.toContain(secret);
    expect(metrics.body).not.toContain(secret);
  });
});
