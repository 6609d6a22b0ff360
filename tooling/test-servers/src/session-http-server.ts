import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import {
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  type McpServer,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import { writeWebResponse } from './http-adapter.js';
import { createMemoryEventStore } from './memory-event-store.js';

/** Options for {@link startSessionHttpServer}. */
export interface SessionHttpServerOptions {
  /** Builds the MCP server of one session. */
  factory: () => McpServer;
  /** Port on 127.0.0.1; 0 (the default) takes a free one. */
  port?: number;
  /** Most sessions at once; past it a new session gets 503. Default 512 (a suite run opens about 70 and ends none). */
  maxSessions?: number;
  /** The SSE `retry` field sent to clients, ms. Default 500. */
  retryIntervalMs?: number;
}

/** A Streamable HTTP server with 2025-11-25 sessions, at `url`. */
export interface SessionHttpServer {
  readonly url: string;
  /** Closes every session and the listener. Idempotent. */
  close(): Promise<void>;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
}

function toWebRequest(request: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`), {
    method: request.method,
    headers,
    body: hasBody ? (Readable.toWeb(request) as ReadableStream<Uint8Array>) : undefined,
    signal,
    // Node's fetch needs `duplex` for a streamed request body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

const jsonError = (status: number, message: string) =>
  new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/**
 * Serves MCP over Streamable HTTP with sessions (`Mcp-Session-Id`), a server-to-client stream
 * per session and resumable SSE, on 127.0.0.1, checking Host against the loopback names.
 */
export async function startSessionHttpServer(
  options: SessionHttpServerOptions,
): Promise<SessionHttpServer> {
  const maxSessions = options.maxSessions ?? 512;
  const sessions = new Map<string, Session>();

  const openSession = async (request: Request): Promise<Response> => {
    if (sessions.size >= maxSessions) return jsonError(503, `at most ${maxSessions} sessions`);
    const server = options.factory();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: createMemoryEventStore(),
      retryInterval: options.retryIntervalMs ?? 500,
      onsessioninitialized: (sessionId) => {
        sessions.set(sessionId, { transport, server });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    const answer = await transport.handleRequest(request);
    // Not an initialize (a 2026-07-28 client's server/discover probe, say): no session began.
    if (transport.sessionId === undefined) await server.close();
    return answer;
  };

  const handle = async (request: Request): Promise<Response> => {
    const refused = hostHeaderValidationResponse(request, localhostAllowedHostnames());
    if (refused) return refused;
    if (new URL(request.url).pathname !== '/mcp') return new Response('not found', { status: 404 });
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId === null) {
      if (request.method !== 'POST') return jsonError(400, 'Mcp-Session-Id header is required');
      return openSession(request);
    }
    const session = sessions.get(sessionId);
    if (!session) return jsonError(404, 'Session not found');
    return session.transport.handleRequest(request);
  };

  const listener = createServer((request, response) => {
    const aborter = new AbortController();
    response.once('close', () => aborter.abort());
    handle(toWebRequest(request, aborter.signal))
      .then((answer) => writeWebResponse(answer, response))
      .catch((error: unknown) => {
        process.stderr.write(`conformance server: ${(error as Error).stack ?? String(error)}\n`);
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = listener.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close() {
      closing ??= (async () => {
        const open = [...sessions.values()];
        sessions.clear();
        await Promise.allSettled(open.map((session) => session.server.close()));
        listener.closeAllConnections();
        await new Promise<void>((resolve) => listener.close(() => resolve()));
      })();
      return closing;
    },
  };
}
