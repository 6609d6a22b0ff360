// The fault-injecting MCP server over Streamable HTTP at http://127.0.0.1:<port>/mcp, serving
// 2026-07-28 and (stateless) 2025-11-25. HTTP_PORT picks the port (0, the default, takes a
// free one). Prints "LISTENING <port>" when ready. State (counters, latency, added tools) is
// per process, since the SDK builds a server instance per request.
import { createServer, type ServerResponse } from 'node:http';
import {
  createFaultServer,
  createFaultState,
  FaultGate,
  faultOptionsFromEnv,
  MALFORMED_KINDS,
  type MalformedKind,
  malformedPayload,
} from '@mcpmx/fault-server';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { listenOnHttpPort, readBody, serveWithFetch } from '../http-adapter.js';

const options = faultOptionsFromEnv();
const prefix = options.toolPrefix ?? '';
const gate = new FaultGate();
const state = createFaultState(options);
const handler = createMcpHandler(() => createFaultServer({ ...options, state, gate }));
// Requests held open, unanswered, after `hang { all: true }`.
const held = new Set<ServerResponse>();

/** `malformed` over HTTP: this server answers the POST itself with the broken body. */
function malformedCall(body: Buffer): { kind: MalformedKind; id: string | number } | undefined {
  try {
    const message = JSON.parse(body.toString('utf8')) as {
      method?: string;
      id?: string | number;
      params?: { name?: string; arguments?: { kind?: MalformedKind } };
    };
    const kind = message.params?.arguments?.kind;
    if (
      message.method === 'tools/call' &&
      message.params?.name === `${prefix}malformed` &&
      message.id !== undefined &&
      kind !== undefined &&
      MALFORMED_KINDS.includes(kind)
    ) {
      return { kind, id: message.id };
    }
  } catch {
    // Not JSON: the SDK answers it.
  }
  return undefined;
}

const server = createServer((request, response) => {
  if (gate.hung) {
    held.add(response);
    response.once('close', () => held.delete(response));
    return;
  }
  if (new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found; MCP is at /mcp\n');
    return;
  }
  void (async () => {
    const body = request.method === 'POST' ? await readBody(request) : undefined;
    const malformed = body ? malformedCall(body) : undefined;
    if (malformed) {
      state.executions.set('malformed', (state.executions.get('malformed') ?? 0) + 1);
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(malformedPayload(malformed.kind, malformed.id));
      return;
    }
    await serveWithFetch(handler.fetch, request, response, body);
  })().catch((error: unknown) => {
    process.stderr.write(`http-server: ${(error as Error).stack ?? String(error)}\n`);
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});
listenOnHttpPort(server);
