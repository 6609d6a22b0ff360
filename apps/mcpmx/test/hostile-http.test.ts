import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { type ChildServer, startFaultHttpServer, testServers } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from './gateway-process.js';
import {
  closedCount,
  httpExchange,
  openIdleSockets,
  parseResponse,
  type RawResponse,
  rawExchange,
  trickle,
} from './raw-http.js';

const TOKEN = 'hostile-test-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const mcpHeaders = {
  ...auth,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** The JSON-RPC message in a /mcp answer, JSON or a one-event SSE stream. */
function rpc(response: RawResponse): {
  id?: unknown;
  result?: { content?: { text?: string }[]; isError?: boolean };
  error?: { code: number; message: string };
} {
  const body = response.body.trim();
  if (body.startsWith('{') || body.startsWith('[')) return JSON.parse(body);
  const data = body
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
    .find((line) => line.startsWith('{'));
  if (data === undefined) throw new Error(`no JSON-RPC message in ${response.status}: ${body}`);
  return JSON.parse(data);
}

const toolCall = (name: string, args: unknown, id: unknown = 1) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

/** Upstreams for both gateways: `web` (two fault servers over HTTP) and `local` (stdio). */
let replicas: ChildServer[] = [];
const config = () => ({
  mcpServers: {
    local: { command: process.execPath, args: [testServers.fault] },
    web: { replicas: replicas.map((replica) => ({ url: replica.url })) },
  },
});

beforeAll(async () => {
  const started = await Promise.allSettled([startFaultHttpServer(), startFaultHttpServer()]);
  for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value);
  for (const result of started) if (result.status === 'rejected') throw result.reason;
});
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.close()));
  replicas = [];
});

/** An authorised client's call through `gateway`, on its own connection, from `localAddress`. */
async function echoThrough(gateway: GatewayProcess, tool: string, localAddress?: string) {
  const response = await httpExchange(`${gateway.url}/mcp`, {
    headers: mcpHeaders,
    body: toolCall(tool, { message: 'still here' }),
    localAddress,
  });
  expect(response.status).toBe(200);
  return rpc(response).result?.content?.[0]?.text;
}

/** The gateway process lives, and another client's calls (stdio and HTTP upstreams) work. */
async function expectStillServing(gateway: GatewayProcess) {
  expect(gateway.alive()).toBe(true);
  expect(await echoThrough(gateway, 'web__echo')).toBe('Echo: still here');
  expect(await echoThrough(gateway, 'local__echo')).toBe('Echo: still here');
}

describe('floods of idle connections (mcpmx serve --http, 40 connections, 10 per address)', () => {
  let gateway: GatewayProcess;
  const opened: Socket[] = [];
  beforeAll(async () => {
    gateway = await startGatewayProcess(config(), [
      '--token',
      TOKEN,
      '--max-connections',
      '40',
      '--max-connections-per-address',
      '10',
      '--max-concurrent-requests',
      '8',
      // Long, so what closes the idle sockets below is the connection limit, not a timeout.
      '--headers-timeout',
      '60000',
      '--request-timeout',
      '60000',
    ]);
  });
  afterAll(async () => {
    for (const socket of opened.splice(0)) socket.destroy();
    await gateway?.close();
  });

  it('closes idle sockets past maxConnections, longest idle first; calls, the HTTP replicas and /healthz still work', async () => {
    // 100 sockets that never send a byte, 20 from each of five loopback addresses.
    const sockets: Socket[] = [];
    for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6']) {
      sockets.push(...(await openIdleSockets(gateway.port, 20, address)));
    }
    opened.push(...sockets);
    await closedCount(sockets, 60);
    expect(sockets.filter((socket) => !socket.closed)).toHaveLength(40);
    // Each closed socket made room for a newer one, and says so in /metrics; the log has one
    // line for the burst, not sixty.
    const metrics = await httpExchange(`${gateway.url}/metrics`, { headers: auth });
    const closedIdle = [
      ...metrics.body.matchAll(
        /^mcpmx_gateway_connections_shed_total\{action="closed-idle",limit="[a-z-]+"\} (\d+)$/gm,
      ),
    ].reduce((sum, [, count]) => sum + Number(count), 0);
    // 60 for the flood, and one more for this /metrics request's own connection.
    expect(closedIdle).toBe(61);
    expect(gateway.output().match(/front door: /g)).toHaveLength(1);
    expect(gateway.output()).toMatch(
      /front door: closed an idle connection to admit a new one at the (total|per-address) connection limit \(limits: 40 connections, 10 per address, 8 requests at once\)/,
    );

    expect(await echoThrough(gateway, 'web__echo')).toBe('Echo: still here');
    const health = await httpExchange(`${gateway.url}/healthz`, { headers: auth });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', serversUp: 2 });
    const status = JSON.parse(
      (await httpExchange(`${gateway.url}/status`, { headers: auth })).body,
    );
    const web = status.servers.find((server: { name: string }) => server.name === 'web');
    expect(web.replicas.map((replica: { status: string }) => replica.status)).toEqual(['up', 'up']);
    await expectStillServing(gateway);
    for (const socket of sockets) socket.destroy();
  });

  it('one address cannot take every slot', async () => {
    const greedy = await openIdleSockets(gateway.port, 30, '127.0.0.7');
    opened.push(...greedy);
    await closedCount(greedy, 20); // it keeps its 10
    const others = [
      ...(await openIdleSockets(gateway.port, 10, '127.0.0.8')),
      ...(await openIdleSockets(gateway.port, 10, '127.0.0.9')),
    ];
    opened.push(...others);
    // The greedy address's own fresh connection makes room among its own idle ones...
    expect(await echoThrough(gateway, 'web__echo', '127.0.0.7')).toBe('Echo: still here');
    // ...and another address gets in without that.
    const health = await httpExchange(`${gateway.url}/healthz`, {
      headers: auth,
      localAddress: '127.0.0.10',
    });
    expect(health.status).toBe(200);
    expect(others.filter((socket) => socket.closed)).toEqual([]);
    expect(greedy.filter((socket) => !socket.closed).length).toBeLessThanOrEqual(10);
    await expectStillServing(gateway);
  });
});

describe('hostile requests (mcpmx serve --http, 300 ms headers timeout, 64 KiB bodies)', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess(config(), [
      '--token',
      TOKEN,
      '--headers-timeout',
      '300',
      '--request-timeout',
      '1000',
      '--max-request-body',
      '65536',
    ]);
  });
  afterAll(async () => {
    await gateway?.close();
  });
  const post = (body: string | Buffer, headers: Record<string, string> = mcpHeaders) =>
    httpExchange(`${gateway.url}/mcp`, { headers, body });

  it('malformed JSON gets 400 with a parse error', async () => {
    for (const body of ['{', '{"jsonrpc":"2.0","id":1,', 'not json', '\u0000\u0001', '']) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
      expect(rpc(response).error?.code, body).toBe(-32700);
    }
    await expectStillServing(gateway);
  });

  it('JSON-RPC batches are answered or refused, never served past the batch cap', async () => {
    const batch = [1, 2, 3].map((id) => JSON.parse(toolCall('web__echo', { message: 'b' }, id)));
    const small = await post(JSON.stringify(batch));
    expect(small.status).toBeGreaterThanOrEqual(200);
    expect(small.status).toBeLessThan(500);
    const huge = Array.from({ length: 500 }, (_, id) => ({
      jsonrpc: '2.0',
      id,
      method: 'ping',
    }));
    const refused = await post(JSON.stringify(huge));
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const empty = await post('[]');
    expect(empty.status).toBeGreaterThanOrEqual(400);
    expect(empty.status).toBeLessThan(500);
    await expectStillServing(gateway);
  });

  it('odd ids: the largest safe integer and long strings are echoed; 1e308 and objects are invalid requests', async () => {
    const safe = rpc(
      await post(toolCall('local__echo', { message: 'n' }, Number.MAX_SAFE_INTEGER)),
    );
    expect(safe.id).toBe(Number.MAX_SAFE_INTEGER);
    expect(safe.result?.content?.[0]?.text).toBe('Echo: n');
    const longId = 'i'.repeat(50_000);
    const long = rpc(await post(toolCall('local__echo', { message: 's' }, longId)));
    expect(long.id).toBe(longId);
    expect(long.result?.content?.[0]?.text).toBe('Echo: s');
    for (const id of [1e308, { nested: true }, [1], true]) {
      const response = await post(toolCall('local__echo', { message: 'o' }, id));
      expect(response.status, JSON.stringify(id)).toBe(400);
      expect(rpc(response).error?.code, JSON.stringify(id)).toBe(-32600);
    }
    await expectStillServing(gateway);
  });

  it('deeply nested arguments get a JSON-RPC error or result, not a crash', async () => {
    const depth = 30_000; // 60 KB of brackets, under the 64 KiB cap
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    for (const body of [
      `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"web__echo","arguments":{"message":${deep}}}}`,
      `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"local__echo","arguments":{"message":"x","extra":${deep}}}}`,
      `{"jsonrpc":"2.0","id":9,"method":"tools/list","params":{"_meta":{"deep":${deep}}}}`,
    ]) {
      const response = await post(body);
      expect(response.status).toBeLessThan(500);
      const message = rpc(response);
      expect(message.error !== undefined || message.result !== undefined).toBe(true);
    }
    await expectStillServing(gateway);
  });

  it('wrong content types get 415', async () => {
    const body = toolCall('web__echo', { message: 'x' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      const response = await post(body, { ...mcpHeaders, 'content-type': type });
      expect(response.status, type).toBe(415);
    }
    const { 'content-type': _, ...untyped } = mcpHeaders;
    expect((await post(body, untyped)).status).toBe(415);
    await expectStillServing(gateway);
  });

  it('a body over --max-request-body gets 413, declared or streamed', async () => {
    const big = toolCall('web__echo', { message: 'x'.repeat(100_000) });
    expect((await post(big)).status).toBe(413);
    // Chunked: no Content-Length to refuse up front; the read stops past the cap.
    const chunked = await rawExchange(
      gateway.port,
      [
        'POST /mcp HTTP/1.1',
        'Host: 127.0.0.1',
        `Authorization: Bearer ${TOKEN}`,
        'Content-Type: application/json',
        'Accept: application/json, text/event-stream',
        'Transfer-Encoding: chunked',
        'Connection: close',
        '',
        `${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`,
      ].join('\r\n'),
    );
    expect(chunked.status).toBe(413);
    await expectStillServing(gateway);
  });

  it('a malformed Host gets 400, a foreign one 403, neither echoed', async () => {
    const hosts: [string, number][] = [
      ['localhost:1@evil.example', 400],
      ['localhost:abc', 400],
      ['localhost:99999', 400],
      ['localhost/evil.example', 400],
      ['localhost\\@evil.example', 400],
      ['[::1', 400],
      ['::1', 400],
      ['[::1]:80:80', 400],
      ['evil.example', 403],
      ['localhost.evil.example', 403],
      ['[::ffff:7f00:1]', 403],
      ['127.0.0.2', 403],
    ];
    for (const [host, status] of hosts) {
      const response = await rawExchange(
        gateway.port,
        `GET /status HTTP/1.1\r\nHost: ${host}\r\n${`Authorization: Bearer ${TOKEN}`}\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status, host).toBe(status);
      expect(response.body, host).not.toContain('evil');
      expect(response.body, host).not.toContain(host);
    }
    // IPv6 loopback forms and case are the same host.
    for (const host of ['[::1]', '[::1]:1', '[0:0:0:0:0:0:0:1]', 'LOCALHOST', '127.0.0.1:80']) {
      const response = await rawExchange(
        gateway.port,
        `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status, host).toBe(200);
    }
    // No Host at all: HTTP/1.1 requires one; HTTP/1.0 gets the same answer.
    for (const version of ['1.1', '1.0']) {
      const response = await rawExchange(
        gateway.port,
        `GET /status HTTP/${version}\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status, version).toBe(400);
    }
    await expectStillServing(gateway);
  });

  it('a request target that is not a path gets 400; a path that looks like a URL, 404; neither echoed', async () => {
    for (const [target, status] of [
      ['//user:password@evil.example/status', 404],
      ['//[', 404],
      ['http://evil.example/status', 400],
      ['*', 400],
    ] as const) {
      const response = await rawExchange(
        gateway.port,
        `GET ${target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status, target).toBe(status);
      expect(response.body, target).not.toContain('evil');
      expect(response.body, target).not.toContain('password');
    }
    await expectStillServing(gateway);
  });

  it('the null Origin and foreign origins get 403, not echoed', async () => {
    for (const origin of [
      'null',
      'http://evil.example',
      'http://localhost:1@evil.example',
      'http://localhost.evil.example',
      'http://127.0.0.1.evil.example',
      'file://',
      'http://localhost/path',
      'http://localhost, http://evil.example',
    ]) {
      const response = await httpExchange(`${gateway.url}/status`, {
        headers: { ...auth, origin },
      });
      expect(response.status, origin).toBe(403);
      expect(response.body, origin).not.toContain('evil');
    }
    const local = await httpExchange(`${gateway.url}/healthz`, {
      headers: { ...auth, origin: 'http://localhost:5173' },
    });
    expect(local.status).toBe(200);
    await expectStillServing(gateway);
  });

  it('slowloris: headers trickled a byte at a time are cut off at the headers timeout with 408', async () => {
    const request = `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(400)}\r\n\r\n`;
    const socket = connect({ port: gateway.port, host: '127.0.0.1' });
    // One byte every 10 ms would take over 4 s for the whole request; the server must not wait.
    const { sent, answer } = await trickle(socket, request, 10);
    expect(sent).toBeLessThan(request.length);
    expect(parseResponse(answer).status).toBe(408);
    await expectStillServing(gateway);
  });

  it('an idle socket that never sends is closed at the headers timeout; a trickled body at the request timeout', async () => {
    const idle = connect({ port: gateway.port, host: '127.0.0.1' });
    idle.on('error', () => {});
    const idleChunks: Buffer[] = [];
    idle.on('data', (chunk) => idleChunks.push(chunk));
    await new Promise<void>((resolve) => idle.once('close', () => resolve()));
    expect(parseResponse(Buffer.concat(idleChunks).toString('latin1')).status).toBe(408);

    const body = toolCall('web__echo', { message: 'slow body' });
    const slow = connect({ port: gateway.port, host: '127.0.0.1' });
    slow.write(
      [
        'POST /mcp HTTP/1.1',
        'Host: localhost',
        `Authorization: Bearer ${TOKEN}`,
        'Content-Type: application/json',
        'Accept: application/json, text/event-stream',
        `Content-Length: ${body.length}`,
        '',
        '',
      ].join('\r\n'),
    );
    const { sent, answer } = await trickle(slow, body, 20);
    expect(sent).toBeLessThan(body.length);
    expect(parseResponse(answer).status).toBe(408);
    await expectStillServing(gateway);
  });
});
