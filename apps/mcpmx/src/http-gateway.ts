import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { MultiServerClient } from '@mcpmx/client';
import { InvalidOptionError } from '@mcpmx/core';
import { createMetrics } from '@mcpmx/metrics';
import {
  createMcpHandler,
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
} from '@modelcontextprotocol/server';
import { createGatewayServer } from './gateway.js';

export interface HttpGatewayOptions {
  client: MultiServerClient;
  /** Default 127.0.0.1. Any other address requires `token`. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Bearer token every request must carry. Required when `host` is not loopback. */
  token?: string;
  /** Extra Host/Origin hostnames to accept besides the loopback names. */
  allowedHostnames?: readonly string[];
}

export interface HttpGateway {
  readonly url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The gateway over Streamable HTTP at `/mcp`, with `/healthz`, `/status` (JSON snapshot, no
 * secrets) and `/metrics` (Prometheus) beside it. Binds 127.0.0.1 by default; binding anywhere
 * else requires a bearer token. Host and Origin are checked on every request (DNS rebinding).
 */
export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !options.token) {
    throw new InvalidOptionError(
      'token',
      `a bearer token when binding to ${host} (only loopback may be served without one; pass --token or MCPMX_TOKEN)`,
      undefined,
    );
  }
  const { client } = options;
  const metrics = createMetrics({ events: client, snapshot: () => client.telemetry() });
  const handler = createMcpHandler(
    () => createGatewayServer(client, { announceChanges: false }).server,
  );
  const allowedHosts = [...localhostAllowedHostnames(), ...(options.allowedHostnames ?? [])];
  const allowedOrigins = [...localhostAllowedOrigins(), ...(options.allowedHostnames ?? [])];
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;

  const authorized = (request: IncomingMessage) => {
    if (!expected) return true;
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const web = toWebRequest(request);
    const rejected =
      hostHeaderValidationResponse(web, allowedHosts) ??
      originValidationResponse(web, allowedOrigins);
    if (rejected) return sendWebResponse(response, rejected);
    if (!authorized(request)) {
      response.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' });
      response.end('missing or wrong bearer token');
      return;
    }
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/mcp') return sendWebResponse(response, await handler.fetch(web));
    if (path === '/healthz') {
      const up = client.snapshot().servers.filter((s) => s.replicas.some((r) => r.status === 'up'));
      return json(response, up.length > 0 ? 200 : 503, {
        status: up.length > 0 ? 'ok' : 'down',
        serversUp: up.length,
      });
    }
    if (path === '/status') return json(response, 200, client.snapshot());
    if (path === '/metrics') {
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      response.end(await metrics.metrics());
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found: try /mcp, /status, /healthz or /metrics');
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: async () => {
      metrics.close();
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function toWebRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`), {
    method: request.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
}

async function sendWebResponse(response: ServerResponse, web: Response): Promise<void> {
  response.writeHead(web.status, Object.fromEntries(web.headers));
  if (web.body) {
    for await (const chunk of web.body as unknown as AsyncIterable<Uint8Array>)
      response.write(chunk);
  }
  response.end();
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
