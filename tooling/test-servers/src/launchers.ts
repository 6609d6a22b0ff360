import {
  type ChildServer,
  getFreePort,
  startChildServer,
  startEverythingHttp as startEverything,
} from '@mcpmx/fault-server';
import { referenceServers, testServers } from './paths.js';

/** server-everything over Streamable HTTP (`/mcp`) or legacy SSE (`/sse`) on a free port. */
export function startEverythingHttp(
  mode: 'streamableHttp' | 'sse',
  options: { port?: number } = {},
): Promise<ChildServer> {
  return startEverything(referenceServers.everything, mode, options);
}

/** The fault server over WebSocket on a free port (or the given one). */
export async function startWebSocketServer(
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<ChildServer> {
  const port = options.port ?? (await getFreePort());
  return startChildServer({
    script: testServers.websocket,
    env: { ...options.env, WS_PORT: String(port) },
    port,
    ready: /LISTENING (\d+)/,
    url: (p) => `ws://127.0.0.1:${p}`,
  });
}

/**
 * The fault server over Streamable HTTP (`/mcp`) on a free port (or the given one), with the
 * same tools; `malformed` answers the POST itself with the broken body.
 */
export async function startFaultHttpServer(
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<ChildServer> {
  const port = options.port ?? (await getFreePort());
  return startChildServer({
    script: testServers.http,
    env: { ...options.env, HTTP_PORT: String(port) },
    port,
    ready: /LISTENING (\d+)/,
    url: (p) => `http://127.0.0.1:${p}/mcp`,
  });
}

/**
 * The hostile HTTP server (see testServers.hostileHttp) on a free port; `url` is its Streamable
 * HTTP endpoint (`/mcp`), `/sse` on the same port its legacy HTTP+SSE one.
 */
export async function startHostileHttpServer(
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<ChildServer> {
  const port = options.port ?? (await getFreePort());
  return startChildServer({
    script: testServers.hostileHttp,
    env: { ...options.env, HTTP_PORT: String(port) },
    port,
    ready: /LISTENING (\d+)/,
    url: (p) => `http://127.0.0.1:${p}/mcp`,
  });
}
