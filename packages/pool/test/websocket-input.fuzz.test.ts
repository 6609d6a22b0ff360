import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { createSessionPool } from '../src/index.js';
import { MCP_SUBPROTOCOL } from '../src/transports/websocket-transport.js';
import { expectUsable, fuzzParameters, serverMessage, settle, textAnswer } from './fuzz-support.js';

/** One thing the server does when asked to `emit`. */
type Frame =
  | { kind: 'text'; data: string }
  | { kind: 'binary'; data: Uint8Array }
  | { kind: 'bad-utf8' }
  | { kind: 'close'; code: number };

/**
 * A real `ws` server in this process, answering MCP 2025-11-25 by hand. Its `emit` tool sends
 * the frames the test sets in `script`, then answers the call, so each call can end.
 */
function startRawServer() {
  const server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    handleProtocols: (protocols) => (protocols.has(MCP_SUBPROTOCOL) ? MCP_SUBPROTOCOL : false),
  });
  const state = { script: [] as Frame[], huge: 0 };
  const answer = (socket: WebSocket, id: unknown, result: unknown) =>
    socket.send(JSON.stringify({ jsonrpc: '2.0', id, result }));
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      let message: { id?: unknown; method?: unknown; params?: { name?: string } };
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      const { id, method, params } = message;
      if (typeof method !== 'string' || id === undefined) return;
      if (method === 'initialize') {
        answer(socket, id, {
          protocolVersion: '2025-11-25',
          capabilities: { tools: {} },
          serverInfo: { name: 'raw-ws-server', version: '0.0.0' },
        });
      } else if (method === 'tools/call' && params?.name === 'echo') {
        answer(socket, id, { content: [{ type: 'text', text: 'Echo: still here' }] });
      } else if (method === 'tools/call' && params?.name === 'huge') {
        answer(socket, id, { content: [{ type: 'text', text: 'a'.repeat(state.huge) }] });
      } else if (method === 'tools/call') {
        for (const frame of state.script) {
          if (frame.kind === 'text')
            socket.send(frame.data.replaceAll('__ID__', JSON.stringify(id)));
          else if (frame.kind === 'binary') socket.send(frame.data, { binary: true });
          else if (frame.kind === 'bad-utf8')
            socket.send(Buffer.from([0xc3, 0x28]), { binary: false });
          else socket.close(frame.code);
        }
        if (socket.readyState === socket.OPEN) {
          answer(socket, id, { content: [{ type: 'text', text: 'end' }] });
        }
      } else {
        socket.send(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32601, message: 'no' } }));
      }
    });
  });
  return { server, state };
}

describe('WebSocketTransport reading what a server sends, fuzzed', () => {
  const { server, state } = startRawServer();
  let url = '';
  let pool: ReturnType<typeof createSessionPool>;
  beforeAll(async () => {
    if (!server.address()) await new Promise((resolve) => server.once('listening', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pool = createSessionPool(
      { id: 'raw-ws#0', server: 'raw-ws', transport: { type: 'websocket', url } },
      { protocol: 'legacy', healthCheckIntervalMs: 0, backoff: { initialMs: 1, maxMs: 20 } },
    );
    await expectUsable(pool);
  });
  afterAll(async () => {
    await pool.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('any frames, text or binary, valid or not: a result or a typed error', async () => {
    const frame: fc.Arbitrary<Frame> = fc.oneof(
      {
        weight: 6,
        arbitrary: serverMessage('__ID__').map((data) => ({ kind: 'text' as const, data })),
      },
      {
        weight: 1,
        arbitrary: fc
          .uint8Array({ maxLength: 64 })
          .map((data) => ({ kind: 'binary' as const, data })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: 'bad-utf8' as const }) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(1000, 1001, 1011, 4000)
          .map((code) => ({ kind: 'close' as const, code })),
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { maxLength: 6 }), async (script) => {
        state.script = script;
        const outcome = await settle(pool.callTool({ name: 'emit', arguments: {} }));
        if ('error' in outcome) expect(outcome.error.code).not.toBe('MCPMX_TIMEOUT');
        await expectUsable(pool);
      }),
      fuzzParameters(60),
    );
  });

  it('regression: a call sent while the server closes the socket is retried, not a ProtocolError', async () => {
    // Between the server's close frame and the 'close' event the socket is CLOSING; a send
    // then failed with a plain Error, which surfaced as MCPMX_PROTOCOL_ERROR.
    state.script = [
      { kind: 'text', data: textAnswer('__ID__', 'answered, then closed') },
      { kind: 'close', code: 1001 },
    ];
    const first = await pool.callTool({ name: 'emit', arguments: {} });
    expect(first.content).toEqual([{ type: 'text', text: 'answered, then closed' }]);
    await expectUsable(pool);
  });

  it('a message larger than maxMessageBytes closes the session with an error naming the limit', async () => {
    const limited = createSessionPool(
      { id: 'raw-ws#1', server: 'raw-ws', transport: { type: 'websocket', url } },
      { protocol: 'legacy', healthCheckIntervalMs: 0, backoff: { initialMs: 1, maxMs: 20 } },
    );
    try {
      await expectUsable(limited);
      state.huge = 40 * 1024 * 1024;
      const outcome = await settle(limited.callTool({ name: 'huge', arguments: {} }));
      expect('error' in outcome && outcome.error.code).toBe('MCPMX_SESSION_CLOSED');
      expect('error' in outcome && outcome.error.message).toContain(
        'larger than maxMessageBytes (33554432 bytes)',
      );
      await expectUsable(limited);
    } finally {
      state.huge = 0;
      await limited.close();
    }
  });
});
