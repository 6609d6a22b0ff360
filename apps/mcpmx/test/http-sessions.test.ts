import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { ManualClock } from '@mcpmx/core';
import { testServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../src/http-gateway.js';

const fault = (server: string) => ({
  id: `${server}#0`,
  server,
  transport: { type: 'stdio' as const, command: process.execPath, args: [testServers.fault] },
});

const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

const initialize = (id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'raw', version: '0.0.0' },
  },
});

/** A 2025-11-25 POST to /mcp, with the session id when given; the body read in full. */
async function post(url: string, body: unknown, sessionId?: string) {
  const response = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      ...HEADERS,
      ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } : {}),
    },
    body: JSON.stringify(body),
  });
  return { response, text: await response.text() };
}

/** initialize + notifications/initialized, over raw HTTP: the session's id. */
async function openSession(url: string): Promise<string> {
  const { response, text } = await post(url, initialize());
  expect(response.status, text).toBe(200);
  const id = response.headers.get('mcp-session-id');
  expect(id).toBeTruthy();
  const ack = await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, id ?? '');
  expect(ack.response.status).toBe(202);
  return id as string;
}

const deleteSession = (url: string, id: string) =>
  fetch(`${url}/mcp`, {
    method: 'DELETE',
    headers: { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
  });

describe('2025-11-25 sessions in the HTTP gateway', () => {
  let client: MultiServerClient | undefined;
  let gateway: HttpGateway | undefined;
  let liveListeners = 0;
  const sdks: Client[] = [];
  afterEach(async () => {
    for (const sdk of sdks.splice(0)) await sdk.close().catch(() => undefined);
    await gateway?.close();
    await client?.close();
    gateway = undefined;
    client = undefined;
  });

  const start = async (extra: Partial<Parameters<typeof startHttpGateway>[0]> = {}) => {
    client = createMultiServerClient({
      endpoints: [fault('alpha')],
      pool: { healthCheckIntervalMs: 0 },
    });
    await client.start();
    // Counts the gateway's listeners on the client: each session's server adds one.
    const on = client.on.bind(client);
    liveListeners = 0;
    client.on = ((event: never, listener: never) => {
      const dispose = on(event, listener);
      liveListeners++;
      let disposed = false;
      return () => {
        if (!disposed) liveListeners--;
        disposed = true;
        dispose();
      };
    }) as MultiServerClient['on'];
    gateway = await startHttpGateway({ client, dashboard: false, ...extra });
    return gateway;
  };

  const connectSdk = async (url: string) => {
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`));
    const sdk = new Client({ name: 'session-test', version: '0.0.0' });
    sdks.push(sdk);
    await sdk.connect(transport);
    return { sdk, transport };
  };

  it('issues a random Mcp-Session-Id on initialize and serves the session by it', async () => {
    const { url } = await start();
    const baseline = liveListeners;
    const { sdk, transport } = await connectSdk(url);
    expect(transport.sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const second = await connectSdk(url);
    expect(second.transport.sessionId).not.toBe(transport.sessionId);
    expect(gateway?.sessions).toBe(2);
    expect(liveListeners).toBe(baseline + 2);
    const result = await sdk.callTool({ name: 'echo', arguments: { message: 'in a session' } });
    expect((result.content as { text: string }[])[0]?.text).toBe('Echo: in a session');
  });

  it('open GET streams do not take the request slots: calls still run past maxConcurrentRequests streams (was: 503 busy)', async () => {
    const { url } = await start({ limits: { maxConcurrentRequests: 2 } });
    const streams = new AbortController();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const id = await openSession(url);
        ids.push(id);
        const stream = await fetch(`${url}/mcp`, {
          headers: {
            accept: 'text/event-stream',
            'mcp-session-id': id,
            'mcp-protocol-version': '2025-11-25',
          },
          signal: streams.signal,
        });
        expect(stream.status).toBe(200);
      }
      for (const [index, id] of ids.entries()) {
        const call = {
          jsonrpc: '2.0',
          id: 10 + index,
          method: 'tools/call',
          params: { name: 'echo', arguments: { message: `past the streams ${index}` } },
        };
        const { response, text } = await post(url, call, id);
        expect(response.status, text).toBe(200);
        expect(text).toContain(`Echo: past the streams ${index}`);
      }
    } finally {
      streams.abort();
    }
  });

  it('ends a session on DELETE: its server closed, its listener gone, its id 404 after', async () => {
    const { url } = await start();
    const baseline = liveListeners;
    const { transport } = await connectSdk(url);
    const id = transport.sessionId as string;
    expect(liveListeners).toBe(baseline + 1);
    await transport.terminateSession();
    expect(gateway?.sessions).toBe(0);
    expect(liveListeners).toBe(baseline);
    const after = await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, id);
    expect(after.response.status).toBe(404);
    expect(after.text).toMatch(/Session not found/);
  });

  it('answers a request with an unknown session id 404, and one without an id statelessly', async () => {
    const { url } = await start();
    await openSession(url);
    const forged = await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, 'A'.repeat(22));
    expect(forged.response.status).toBe(404);
    expect(JSON.parse(forged.text)).toMatchObject({ error: { code: -32001 } });
    const unknownDelete = await deleteSession(url, 'not-a-session');
    expect(unknownDelete.status).toBe(404);
    // No id and no initialize: served as before sessions, and no session is opened for it.
    const stateless = await post(url, { jsonrpc: '2.0', id: 3, method: 'tools/list' });
    expect(stateless.response.status).toBe(200);
    expect(stateless.text).toContain('echo');
    expect(stateless.response.headers.get('mcp-session-id')).toBeNull();
    expect(gateway?.sessions).toBe(1);
  });

  it('ends a session idle for idleTimeoutMs (on the injected clock); a request restarts the wait', async () => {
    const clock = new ManualClock();
    const { url } = await start({ clock, sessions: { idleTimeoutMs: 60_000 } });
    const baseline = liveListeners;
    const id = await openSession(url);
    expect(clock.pending()).toEqual([60_000]);
    clock.advance(59_999);
    const list = await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, id);
    expect(list.response.status).toBe(200);
    clock.advance(59_999);
    expect(gateway?.sessions).toBe(1);
    clock.advance(1);
    await expect.poll(() => gateway?.sessions).toBe(0);
    expect(liveListeners).toBe(baseline);
    expect(clock.pending()).toEqual([]);
    expect(
      (await post(url, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, id)).response.status,
    ).toBe(404);
  });

  it('keeps a session whose GET stream is open, however long; the wait starts when it closes', async () => {
    const clock = new ManualClock();
    const { url } = await start({ clock, sessions: { idleTimeoutMs: 1000 } });
    const id = await openSession(url);
    const aborter = new AbortController();
    const stream = await fetch(`${url}/mcp`, {
      headers: {
        accept: 'text/event-stream',
        'mcp-session-id': id,
        'mcp-protocol-version': '2025-11-25',
      },
      signal: aborter.signal,
    });
    expect(stream.status).toBe(200);
    expect(clock.pending()).toEqual([]);
    clock.advance(10_000);
    expect(gateway?.sessions).toBe(1);
    aborter.abort();
    await expect.poll(() => clock.pending()).toEqual([1000]);
    clock.advance(1000);
    await expect.poll(() => gateway?.sessions).toBe(0);
  });

  it('refuses a session past maxSessions with 503 and Retry-After; a DELETE makes room', async () => {
    const { url } = await start({ sessions: { maxSessions: 2 } });
    const first = await openSession(url);
    await openSession(url);
    const refused = await post(url, initialize());
    expect(refused.response.status).toBe(503);
    expect(refused.response.headers.get('retry-after')).toBe('5');
    expect(refused.response.headers.get('mcp-session-id')).toBeNull();
    expect(JSON.parse(refused.text).error.message).toMatch(/maxSessions/);
    expect(gateway?.sessions).toBe(2);
    // Requests that open no session are still served.
    expect((await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' })).response.status).toBe(
      200,
    );
    expect((await deleteSession(url, first)).status).toBe(200);
    await openSession(url);
    expect(gateway?.sessions).toBe(2);
  });

  it('closing the gateway ends every session, its streams and its timers', async () => {
    const clock = new ManualClock();
    const { url } = await start({ clock });
    const baseline = liveListeners;
    await openSession(url);
    const { sdk } = await connectSdk(url);
    await sdk.listTools();
    expect(gateway?.sessions).toBe(2);
    await gateway?.close();
    expect(gateway?.sessions).toBe(0);
    // Every listener the gateway had on the client is gone, the sessions' ones included.
    expect(liveListeners).toBe(0);
    expect(baseline).toBeGreaterThan(0);
    expect(clock.pending()).toEqual([]);
    // The SDK client's GET stream ended with the gateway; its next request fails.
    await expect(sdk.listTools()).rejects.toThrow();
    gateway = undefined;
  });

  it('refuses bad session options, naming them', async () => {
    client = createMultiServerClient({
      endpoints: [fault('alpha')],
      pool: { healthCheckIntervalMs: 0 },
    });
    await expect(startHttpGateway({ client, sessions: { maxSessions: 0 } })).rejects.toThrow(
      /maxSessions must be an integer >= 1 \(got 0\)/,
    );
    await expect(startHttpGateway({ client, sessions: { idleTimeoutMs: 1.5 } })).rejects.toThrow(
      /idleTimeoutMs must be an integer >= 1 \(got 1.5\)/,
    );
  });
});
