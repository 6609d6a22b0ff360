// A hostile MCP server over HTTP, for tests of what a client does with what upstreams send back.
// HTTP_PORT picks the port (0, the default, takes a free one); prints "LISTENING <port>".
//
// Streamable HTTP at /mcp: the fault server (built on @modelcontextprotocol/server, through the
// SDK's createMcpHandler) answers everything, except tools/call of these tools, whose answer this
// file writes to the POST itself, by hand:
// - huge { bytes, as }: a result of about `bytes` bytes, generated as the socket drains (this
//   process never holds it), as one JSON body (`as: "json"`, the default) or one SSE event
//   (`as: "sse"`).
// - reply { messages, as }: the raw JSON-RPC texts given, `__ID__` replaced by the request's id,
//   as a JSON body (one message, or an array of several) or as SSE events, one per message.
// - endless: an SSE stream whose one event never ends: its data grows until the client leaves.
// - stall: an SSE stream that starts an event and then sends nothing, until the client leaves.
//
// Legacy HTTP+SSE at /sse (GET, the stream) and /message?sessionId= (POST): JSON-RPC spoken by
// hand (no SDK; 2025-11-25 only), answering initialize, ping, tools/list, tools/call echo and
// huge { bytes } on the session's stream.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createFaultServer, createFaultState, faultOptionsFromEnv } from '@mcpmx/fault-server';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { listenOnHttpPort, readBody, serveWithFetch } from '../http-adapter.js';

const options = faultOptionsFromEnv();
const state = createFaultState(options);
/** The tools answered by hand; listed through the SDK like the others, so a client can call them. */
const HOSTILE_TOOLS = ['huge', 'reply', 'endless', 'stall'] as const;
const handler = createMcpHandler(() => {
  const server = createFaultServer({ ...options, state });
  for (const name of HOSTILE_TOOLS) {
    server.registerTool(
      name,
      { description: `${name}: answered by hand (see the file header)` },
      () => ({
        content: [{ type: 'text', text: `${name} is answered before the SDK sees it` }],
      }),
    );
  }
  return server;
});
const PIECE = 'x'.repeat(64 * 1024);

interface Call {
  id: string | number;
  name: string;
  args: Record<string, unknown>;
}

function parseCall(body: Buffer): Call | undefined {
  try {
    const message = JSON.parse(body.toString('utf8')) as {
      method?: string;
      id?: string | number;
      params?: { name?: string; arguments?: Record<string, unknown> };
    };
    if (message.method !== 'tools/call' || message.id === undefined) return undefined;
    return {
      id: message.id,
      name: message.params?.name ?? '',
      args: message.params?.arguments ?? {},
    };
  } catch {
    return undefined;
  }
}

/** Writes `text`, waiting while the socket is full; false once the client has gone. */
function write(response: ServerResponse, text: string): Promise<boolean> {
  if (response.destroyed) return Promise.resolve(false);
  if (response.write(text)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (open: boolean) => {
      response.off('drain', onDrain);
      response.off('close', onClose);
      resolve(open);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    response.once('drain', onDrain);
    response.once('close', onClose);
  });
}

/** `bytes` of filler, written piece by piece as the socket drains. */
async function filler(response: ServerResponse, bytes: number): Promise<boolean> {
  for (let left = bytes; left > 0; left -= PIECE.length) {
    if (!(await write(response, left >= PIECE.length ? PIECE : PIECE.slice(0, left)))) return false;
  }
  return true;
}

const hugeHead = (id: string | number) =>
  `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"resultType":"complete","content":[{"type":"text","text":"`;
const HUGE_TAIL = '"}]}}';

async function streamableCall(call: Call, response: ServerResponse): Promise<boolean> {
  const sse = call.args.as === 'sse' || call.name === 'endless' || call.name === 'stall';
  const start = () =>
    response.writeHead(200, { 'content-type': sse ? 'text/event-stream' : 'application/json' });
  switch (call.name) {
    case 'huge': {
      start();
      const bytes = Number(call.args.bytes ?? 0);
      if (sse && !(await write(response, 'event: message\ndata: '))) return true;
      if (!(await write(response, hugeHead(call.id)))) return true;
      if (!(await filler(response, bytes))) return true;
      await write(response, sse ? `${HUGE_TAIL}\n\n` : HUGE_TAIL);
      response.end();
      return true;
    }
    case 'reply': {
      start();
      const messages = ((call.args.messages ?? []) as string[]).map((text) =>
        text.replaceAll('__ID__', JSON.stringify(call.id)),
      );
      if (!sse) {
        response.end(messages.length === 1 ? messages[0] : `[${messages.join(',')}]`);
        return true;
      }
      for (const message of messages) {
        if (!(await write(response, `event: message\ndata: ${message}\n\n`))) return true;
      }
      response.end();
      return true;
    }
    case 'endless': {
      start();
      if (!(await write(response, 'event: message\ndata: '))) return true;
      while (await write(response, PIECE)) {
        // Until the client goes away.
      }
      return true;
    }
    case 'stall':
      start();
      await write(response, 'event: message\ndata: {"jsonrpc":"2.0",');
      return true; // Held open until the client goes away.
    default:
      return false;
  }
}

// Legacy HTTP+SSE, by hand.
const streams = new Map<string, ServerResponse>();

function legacyStream(response: ServerResponse): void {
  const sessionId = randomUUID();
  streams.set(sessionId, response);
  response.once('close', () => streams.delete(sessionId));
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.write(`event: endpoint\ndata: /message?sessionId=${sessionId}\n\n`);
}

async function legacyMessage(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const stream = streams.get(url.searchParams.get('sessionId') ?? '');
  if (!stream) {
    response.writeHead(404).end('no such session');
    return;
  }
  const message = JSON.parse((await readBody(request)).toString('utf8')) as {
    id?: string | number;
    method?: string;
    params?: { name?: string; arguments?: Record<string, unknown>; protocolVersion?: string };
  };
  response.writeHead(202).end('Accepted');
  const { id, method, params } = message;
  if (id === undefined || method === undefined) return;
  const answer = (body: object) =>
    write(stream, `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id, ...body })}\n\n`);
  switch (method) {
    case 'initialize':
      await answer({
        result: {
          protocolVersion: '2025-11-25',
          capabilities: { tools: {} },
          serverInfo: { name: 'hostile-legacy-sse', version: '0.0.0' },
        },
      });
      return;
    case 'ping':
      await answer({ result: {} });
      return;
    case 'tools/list':
      await answer({ result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] } });
      return;
    case 'tools/call':
      if (params?.name === 'huge') {
        if (!(await write(stream, `event: message\ndata: ${hugeHead(id)}`))) return;
        if (!(await filler(stream, Number(params.arguments?.bytes ?? 0)))) return;
        await write(stream, `${HUGE_TAIL}\n\n`);
        return;
      }
      await answer({
        result: { content: [{ type: 'text', text: `Echo: ${params?.arguments?.message}` }] },
      });
      return;
    default:
      await answer({ error: { code: -32601, message: `no method ${method}` } });
  }
}

const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  void (async () => {
    if (path === '/sse' && request.method === 'GET') return legacyStream(response);
    if (path === '/message' && request.method === 'POST') return legacyMessage(request, response);
    if (path !== '/mcp') {
      response.writeHead(404).end('not found; MCP is at /mcp (or /sse)\n');
      return;
    }
    const body = request.method === 'POST' ? await readBody(request) : undefined;
    const call = body ? parseCall(body) : undefined;
    if (call && (await streamableCall(call, response))) return;
    await serveWithFetch(handler.fetch, request, response, body);
  })().catch((error: unknown) => {
    process.stderr.write(`hostile-http-server: ${(error as Error).stack ?? String(error)}\n`);
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});
listenOnHttpPort(server);
