import { type SessionHttpServer, startSessionHttpServer } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createConformanceServer } from './conformance-server.js';

const initialize = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'test', version: '1.0.0' },
      },
    }),
  });

describe('the conformance test server over Streamable HTTP', () => {
  let server: SessionHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('issues a session, serves the scenario tools in it, and ends it on DELETE', async () => {
    server = await startSessionHttpServer({ factory: createConformanceServer });
    const transport = new StreamableHTTPClientTransport(new URL(server.url));
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const result = await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(result.content).toEqual([
      { type: 'text', text: 'This is a simple text response for testing.' },
    ]);
    const sessionId = transport.sessionId as string;
    await transport.terminateSession();
    await client.close();
    const after = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    });
    expect(after.status).toBe(404);
  });

  it('answers an unknown session 404, a GET without one 400, and a foreign Host 403', async () => {
    server = await startSessionHttpServer({ factory: createConformanceServer });
    const unknown = await fetch(server.url, {
      method: 'GET',
      headers: { accept: 'text/event-stream', 'mcp-session-id': 'no-such-session' },
    });
    expect(unknown.status).toBe(404);
    const missing = await fetch(server.url, { headers: { accept: 'text/event-stream' } });
    expect(missing.status).toBe(400);
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(server?.url as string, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.once('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('refuses a session past maxSessions with 503', async () => {
    server = await startSessionHttpServer({ factory: createConformanceServer, maxSessions: 1 });
    const first = await initialize(server.url);
    expect(first.status).toBe(200);
    await first.body?.cancel();
    const second = await initialize(server.url);
    expect(second.status).toBe(503);
    expect(await second.text()).toContain('at most 1 sessions');
  });

  it('begins no session for a POST that is not an initialize', async () => {
    server = await startSessionHttpServer({ factory: createConformanceServer, maxSessions: 1 });
    const ping = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(ping.status).toBe(400);
    expect(ping.headers.get('mcp-session-id')).toBeNull();
    const first = await initialize(server.url);
    expect(first.status).toBe(200);
    await first.body?.cancel();
  });
});
