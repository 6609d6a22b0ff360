import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { checkNumber, type Disposer } from '@mcpmx/core';
import { type WebSocket, WebSocketServer } from 'ws';
import { requestPath } from '../front-door/request-target.js';
import { DEFAULT_DASHBOARD_OPTIONS } from './dashboard-defaults.js';
import {
  createDashboardFeed,
  type DashboardFeedOptions,
  type DashboardSource,
} from './dashboard-feed.js';
import type { DashboardFrame } from './dashboard-frame.js';
import { DASHBOARD_PROTOCOL, renderDashboardPage } from './dashboard-page.js';

/** Why a request is refused: an HTTP status and a message. */
export interface DashboardRefusal {
  status: number;
  message: string;
}

export interface DashboardOptions {
  /** The client to show. */
  client: DashboardSource;
  /** The HTTP server whose `upgrade` event the dashboard's WebSocket listens on. */
  server: Server;
  /**
   * Decides whether a WebSocket upgrade may proceed: undefined to accept, else the refusal.
   * `bearer` is the token the request carries, from `Authorization: Bearer <token>` or, for
   * browsers (which cannot set headers on a WebSocket), from the `bearer.<base64url>`
   * subprotocol. Default: accept (no token, no Host check); a gateway passes its own checks.
   */
  authorize?: (
    request: IncomingMessage,
    credentials: { bearer: string | undefined },
  ) => DashboardRefusal | undefined;
  /** Where the WebSocket is served. Default `/dashboard/ws`. */
  socketPath?: string;
  /** WebSocket clients at once; more are refused with 503. Default 16. */
  maxClients?: number;
  /** A client with more than this many bytes unsent skips frames. Default 1 MiB. */
  maxBufferedBytes?: number;
  /** A client that had to skip this many frames in a row is disconnected. Default 30. */
  maxSkippedFrames?: number;
  /** Push period, window, clock... of the feed. */
  feed?: Omit<DashboardFeedOptions, 'source'>;
}

export interface Dashboard {
  /**
   * Serves the page for `GET /` (and HEAD) and returns true; returns false for anything else.
   * The page is static and holds no data (the data comes only over the WebSocket, which
   * `authorize` guards), so the caller applies its Host/Origin checks before this but need not
   * require a token for it.
   */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  readonly socketPath: string;
  /** WebSocket clients connected now. */
  readonly clients: number;
  /** Closes every WebSocket, stops the feed and detaches from the server. Idempotent. */
  close(): Promise<void>;
}

/**
 * The live dashboard on an existing HTTP server: the page at `/`, and frames pushed over a
 * WebSocket (`ws`, no server of its own) on the server's `upgrade` event. Upgrades to other
 * paths are answered 404. A browser's Origin must be the page's own origin (against
 * cross-site WebSocket hijacking) before `authorize` is asked.
 */
export function attachDashboard(options: DashboardOptions): Dashboard {
  const socketPath = options.socketPath ?? DEFAULT_DASHBOARD_OPTIONS.socketPath;
  const maxClients = checkNumber(
    'maxClients',
    options.maxClients ?? DEFAULT_DASHBOARD_OPTIONS.maxClients,
    { min: 1, integer: true },
  );
  const maxBufferedBytes = checkNumber(
    'maxBufferedBytes',
    options.maxBufferedBytes ?? DEFAULT_DASHBOARD_OPTIONS.maxBufferedBytes,
    { min: 0 },
  );
  const maxSkippedFrames = checkNumber(
    'maxSkippedFrames',
    options.maxSkippedFrames ?? DEFAULT_DASHBOARD_OPTIONS.maxSkippedFrames,
    { min: 1, integer: true },
  );
  const { server } = options;
  const page = renderDashboardPage(socketPath);
  const feed = createDashboardFeed({ ...options.feed, source: options.client });
  const sockets = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // The page sends nothing; anything larger than this is not ours.
    maxPayload: 1024,
    handleProtocols: (protocols) =>
      protocols.has(DASHBOARD_PROTOCOL) ? DASHBOARD_PROTOCOL : false,
  });
  /** Connected sockets → frames skipped in a row. */
  const clients = new Map<WebSocket, number>();
  let unsubscribe: Disposer | undefined;
  let closed = false;

  const broadcast = (frame: DashboardFrame) => {
    const data = JSON.stringify(frame);
    for (const [socket, skipped] of clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (socket.bufferedAmount > maxBufferedBytes) {
        if (skipped + 1 >= maxSkippedFrames) socket.terminate();
        else clients.set(socket, skipped + 1);
        continue;
      }
      clients.set(socket, 0);
      socket.send(data);
    }
  };

  const adopt = (socket: WebSocket) => {
    if (closed) {
      socket.terminate();
      return;
    }
    clients.set(socket, 0);
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      clients.delete(socket);
      if (clients.size === 0) {
        unsubscribe?.();
        unsubscribe = undefined;
      }
    });
    unsubscribe ??= feed.subscribe(broadcast);
    socket.send(JSON.stringify(feed.frame()));
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = requestPath(request.url);
    if (closed) return refuse(socket, { status: 503, message: 'the dashboard is closed' });
    if (path === undefined) {
      return refuse(socket, { status: 400, message: 'the request target must be a path' });
    }
    if (path !== socketPath) return refuse(socket, { status: 404, message: 'not found' });
    const origin = request.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, request.headers.host)) {
      return refuse(socket, {
        status: 403,
        message: 'this Origin may not open the dashboard (only the page itself may)',
      });
    }
    const refusal = options.authorize?.(request, { bearer: bearerOf(request) });
    if (refusal) return refuse(socket, refusal);
    // ws would accept an offer without our subprotocol (answering none), and hold a slot for
    // a client that cannot read our frames.
    if (!offersDashboardProtocol(request)) {
      return refuse(socket, {
        status: 400,
        message: `the dashboard speaks the ${DASHBOARD_PROTOCOL} subprotocol only`,
      });
    }
    if (clients.size >= maxClients) {
      return refuse(socket, {
        status: 503,
        message: `the dashboard already has ${maxClients} clients (maxClients)`,
      });
    }
    sockets.handleUpgrade(request, socket, head, adopt);
  };
  server.on('upgrade', onUpgrade);

  return {
    handle(request, response) {
      const path = requestPath(request.url);
      if (path !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': page.contentSecurityPolicy,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : page.html);
      return true;
    },
    socketPath,
    get clients() {
      return clients.size;
    },
    async close() {
      if (closed) return;
      closed = true;
      server.off('upgrade', onUpgrade);
      unsubscribe?.();
      unsubscribe = undefined;
      feed.close();
      for (const socket of clients.keys()) socket.terminate();
      clients.clear();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}

/** The bearer token from the Authorization header, else from a `bearer.<base64url>` subprotocol. */
function bearerOf(request: IncomingMessage): string | undefined {
  const header = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
  if (header) return header[1];
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',');
  for (const protocol of offered.map((entry) => entry.trim())) {
    if (protocol.startsWith('bearer.')) {
      return Buffer.from(protocol.slice('bearer.'.length), 'base64url').toString('utf8');
    }
  }
  return undefined;
}

/** No subprotocol offered (a header-authenticated client), or ours among those offered. */
function offersDashboardProtocol(request: IncomingMessage): boolean {
  const header = request.headers['sec-websocket-protocol'];
  if (header === undefined) return true;
  return header.split(',').some((protocol) => protocol.trim() === DASHBOARD_PROTOCOL);
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    const url = new URL(origin);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host?.toLowerCase()
    );
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, refusal: DashboardRefusal): void {
  const body = `${refusal.message}\n`;
  socket.end(
    [
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}`,
      'Connection: close',
      'Content-Type: text/plain; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...(refusal.status === 401 ? ['WWW-Authenticate: Bearer'] : []),
      '',
      body,
    ].join('\r\n'),
    () => socket.destroy(),
  );
}
