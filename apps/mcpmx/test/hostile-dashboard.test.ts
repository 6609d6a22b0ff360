import { connect, type Socket } from 'node:net';
import { testServers } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type GatewayProcess, startGatewayProcess } from './gateway-process.js';
import { httpExchange, parseResponse, rawExchange, trickle } from './raw-http.js';

const TOKEN = 'dashboard-hostile-token';
const PROTOCOL = 'mcpmx-dashboard.v1';
const bearer = (token: string) => `bearer.${Buffer.from(token).toString('base64url')}`;
const MAX_CLIENTS = 16; // the dashboard's default cap

type Opened =
  | { ok: true; socket: WebSocket; closed: Promise<number> }
  | { ok: false; status: number; body: string };

/** Opens a dashboard WebSocket: the socket once its first frame came, or the HTTP refusal. */
function openSocket(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
    const closed = new Promise<number>((done) => socket.once('close', (code) => done(code)));
    socket.once('message', () => resolve({ ok: true, socket, closed }));
    let refused = false;
    socket.once('unexpected-response', (_request, response) => {
      refused = true;
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        resolve({ ok: false, status: response.statusCode ?? 0, body });
        socket.terminate();
      });
    });
    socket.once('error', (error) => {
      if (!refused && socket.readyState !== socket.CLOSED) reject(error);
    });
  });
}

/** A handshake request for the dashboard socket, by hand. */
const upgradeRequest = (headers: Record<string, string | undefined>, target = '/dashboard/ws') => {
  const lines = [`GET ${target} HTTP/1.1`];
  const all: Record<string, string | undefined> = {
    host: 'localhost',
    upgrade: 'websocket',
    connection: 'Upgrade',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'sec-websocket-version': '13',
    authorization: `Bearer ${TOKEN}`,
    ...headers,
  };
  for (const [name, value] of Object.entries(all))
    if (value !== undefined) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
};

/** Completes a handshake by hand; resolves with the raw socket once the 101 arrived. */
function rawUpgrade(port: number): Promise<{ socket: Socket; closed: Promise<Buffer> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    const closed = new Promise<Buffer>((done) =>
      socket.once('close', () => done(Buffer.concat(chunks))),
    );
    socket.on('error', () => {});
    socket.once('connect', () =>
      socket.write(upgradeRequest({ 'sec-websocket-protocol': PROTOCOL })),
    );
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.on('data', (more: Buffer) => chunks.push(more));
      if (text.startsWith('HTTP/1.1 101')) resolve({ socket, closed });
      else reject(new Error(`no upgrade: ${text.slice(0, 200)}`));
    };
    socket.on('data', onData);
  });
}

/** The close code in the first close frame (opcode 8) the server sent, if any. */
function closeCode(received: Buffer): number | undefined {
  let offset = received.indexOf('\r\n\r\n') + 4;
  for (let guard = 0; guard < 1000 && offset + 2 <= received.length; guard++) {
    const opcode = (received[offset] ?? 0) & 0x0f;
    let length = (received[offset + 1] ?? 0) & 0x7f;
    let header = 2;
    if (length === 126) {
      length = received.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) return undefined;
    if (opcode === 8) return length >= 2 ? received.readUInt16BE(offset + header) : undefined;
    offset += header + length;
  }
  return undefined;
}

/** A masked client frame. */
function frame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] ?? 0)));
  const length =
    payload.length < 126
      ? Buffer.from([0x80 | payload.length])
      : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode]), length, mask, masked]);
}

describe('hostile dashboard clients (mcpmx serve --http, the built bin)', () => {
  let gateway: GatewayProcess;
  let socketUrl: string;
  const auth = { authorization: `Bearer ${TOKEN}` };
  beforeAll(async () => {
    gateway = await startGatewayProcess(
      { mcpServers: { local: { command: process.execPath, args: [testServers.fault] } } },
      ['--token', TOKEN, '--headers-timeout', '500'],
    );
    socketUrl = `${gateway.url.replace('http:', 'ws:')}/dashboard/ws`;
  });
  afterAll(async () => {
    await gateway?.close();
  });

  /** The process lives, an MCP call works and an authorised dashboard gets its frame. */
  async function expectStillServing() {
    expect(gateway.alive()).toBe(true);
    const call = await httpExchange(`${gateway.url}/mcp`, {
      headers: {
        ...auth,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: 'still here' } },
      }),
    });
    expect(call.status).toBe(200);
    expect(call.body).toContain('Echo: still here');
    const opened = await openSocket(socketUrl, { protocols: [PROTOCOL, bearer(TOKEN)] });
    expect(opened.ok).toBe(true);
    if (opened.ok) {
      opened.socket.close();
      await opened.closed;
    }
  }

  it('refuses upgrades without the token, or with a wrong or garbled one, with 401', async () => {
    for (const options of [
      {},
      { protocols: [PROTOCOL] },
      { protocols: [PROTOCOL, bearer('wrong')] },
      { protocols: [PROTOCOL, 'bearer.!!!not-base64!!!'] },
      { headers: { authorization: 'Bearer wrong' } },
      { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } },
    ]) {
      const opened = await openSocket(socketUrl, options);
      expect(opened.ok ? 'opened' : opened.status, JSON.stringify(options)).toBe(401);
    }
    await expectStillServing();
  });

  it('answers a malformed Host or request target 400 and a foreign Origin 403, not echoed, and stays up', async () => {
    for (const [headers, target, status] of [
      [{ host: 'localhost:1@evil.example' }, '/dashboard/ws', 400],
      [{ host: '[::1' }, '/dashboard/ws', 400],
      [{ host: 'evil.example' }, '/dashboard/ws', 403],
      [{ origin: 'http://evil.example' }, '/dashboard/ws', 403],
      [{ origin: 'null' }, '/dashboard/ws', 403],
      [{}, '//[', 404], // a path, if an odd one: not the socket's
      [{}, 'http://evil.example/dashboard/ws', 400],
    ] as const) {
      const response = await rawExchange(gateway.port, upgradeRequest(headers, target));
      expect(response.status, `${JSON.stringify(headers)} ${target}`).toBe(status);
      expect(response.body).not.toContain('evil');
      expect(gateway.alive()).toBe(true);
    }
    await expectStillServing();
  });

  it('refuses subprotocols that are not the dashboard one, and malformed handshakes, with 4xx', async () => {
    for (const protocols of [['chat'], ['chat', bearer(TOKEN)], [`${PROTOCOL}x`]]) {
      const opened = await openSocket(socketUrl, { protocols, headers: auth });
      expect(opened.ok ? 'opened' : opened.status, protocols.join()).toBe(400);
    }
    for (const headers of [
      { 'sec-websocket-protocol': 'a b, ,' }, // not a token list
      { 'sec-websocket-key': 'short' },
      { 'sec-websocket-version': '12' },
      { upgrade: 'h2c' },
    ]) {
      const response = await rawExchange(gateway.port, upgradeRequest(headers));
      expect(response.status, JSON.stringify(headers)).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(headers)).toBeLessThan(500);
    }
    await expectStillServing();
  });

  it('closes a client that sends an oversized frame (1009) or garbage frames (1002, 1007)', async () => {
    const opened = await openSocket(socketUrl, { protocols: [PROTOCOL, bearer(TOKEN)] });
    if (!opened.ok) throw new Error(`refused with ${opened.status}`);
    opened.socket.on('error', () => {});
    opened.socket.send(Buffer.alloc(64 * 1024, 'x'));
    expect(await opened.closed).toBe(1009);

    for (const [bytes, code] of [
      [frame(0x3, Buffer.from('reserved opcode')), 1002],
      [Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]), 1002], // unmasked
      [frame(0x1, Buffer.from([0xff, 0xfe, 0xfd])), 1007], // not UTF-8
      [frame(0x9, Buffer.alloc(200, 1)), 1002], // a control frame over 125 bytes
    ] as const) {
      const { socket, closed } = await rawUpgrade(gateway.port);
      socket.write(bytes);
      expect(closeCode(await closed)).toBe(code);
    }
    await expectStillServing();
  });

  it(`refuses the ${MAX_CLIENTS + 1}th socket with 503, and takes one again once a slot is free`, async () => {
    const sockets: WebSocket[] = [];
    try {
      for (let index = 0; index < MAX_CLIENTS; index++) {
        const opened = await openSocket(socketUrl, { protocols: [PROTOCOL, bearer(TOKEN)] });
        if (!opened.ok) throw new Error(`socket ${index} refused with ${opened.status}`);
        sockets.push(opened.socket);
      }
      for (let extra = 0; extra < 4; extra++) {
        const refused = await openSocket(socketUrl, { protocols: [PROTOCOL, bearer(TOKEN)] });
        expect(refused.ok ? 'opened' : refused.status).toBe(503);
      }
      expect(gateway.alive()).toBe(true);
      const first = sockets.shift() as WebSocket;
      const closed = new Promise<void>((resolve) => first.once('close', () => resolve()));
      first.close();
      await closed;
      // Its FIN was in the server's queue before this side saw the close, ahead of any new
      // handshake: the slot is free for the next client.
      await expectStillServing();
    } finally {
      for (const socket of sockets) socket.terminate();
    }
  });

  it('closes an upgrade request trickled a byte at a time at the headers timeout (408)', async () => {
    const request = upgradeRequest({ 'x-padding': 'a'.repeat(300) });
    const socket = connect({ port: gateway.port, host: '127.0.0.1' });
    const { sent, answer } = await trickle(socket, request, 10);
    expect(sent).toBeLessThan(request.length);
    expect(parseResponse(answer).status).toBe(408);
    await expectStillServing();
  });
});
