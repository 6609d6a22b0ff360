import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MultiServerClient } from '@mcpmx/client';
import { type Clock, InvalidOptionError, systemClock } from '@mcpmx/core';
import { createMetrics } from '@mcpmx/metrics';
import {
  type AuthInfo,
  createMcpHandler,
  isLegacyRequest,
  legacyStatelessFallback,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
} from '@modelcontextprotocol/server';
import { DEFAULT_DASHBOARD_OPTIONS } from './dashboard/dashboard-defaults.js';
import {
  attachDashboard,
  type Dashboard,
  type DashboardOptions,
  type DashboardRefusal,
} from './dashboard/dashboard-server.js';
import { limitConnections } from './front-door/connection-limits.js';
import {
  connectionsCheckingIntervalMs,
  type FrontDoorLimits,
  resolveFrontDoorLimits,
} from './front-door/front-door-limits.js';
import { checkHostAndOrigin } from './front-door/host-check.js';
import { readOpenFileLimit } from './front-door/open-file-limit.js';
import { createRequestLimit } from './front-door/request-limit.js';
import { requestPath } from './front-door/request-target.js';
import { createShedReport } from './front-door/shed-report.js';
import { headersOf, json, refuse, sendWebResponse, toWebRequest } from './front-door/web-bridge.js';
import { createGatewayServer } from './gateway.js';
import { callerOf } from './identity/caller.js';
import type { FrontDoorAuth } from './identity/front-door-auth.js';
import type { GatewayAccess } from './identity/gateway-access.js';
import type { LazyTools } from './lazy-tools.js';
import { redactedWriter } from './output.js';
import type { AdvertisedUnion, UnionMember } from './relay/advertised-union.js';
import { advertiseFor, declaredCapabilities } from './relay/downstream-capabilities.js';
import type { DownstreamRoots } from './relay/downstream-roots.js';
import { createHeldCalls } from './relay/held-calls.js';
import type { LogRelay } from './relay/log-relay.js';
import { createStateSigner } from './relay/signed-state.js';
import { createHttpSessions } from './sessions/http-sessions.js';
import { resolveSessionOptions, type SessionOptions } from './sessions/session-options.js';

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
  /**
   * The live dashboard at `/` (WebSocket at `/dashboard/ws`), on by default; false turns it
   * off, an object tunes it (push period, client cap, ...).
   */
  dashboard?: boolean | Omit<DashboardOptions, 'client' | 'server' | 'authorize'>;
  /**
   * What clients may hold: connections (in total and per address), time to send a request,
   * requests in flight and body size. Defaults in {@link resolveFrontDoorLimits}, derived from
   * the process's open-file limit; see the README's "Limits".
   */
  limits?: Partial<FrontDoorLimits>;
  /**
   * 2025-11-25 sessions (`Mcp-Session-Id`): how long an idle one lives and how many may be
   * open; see {@link SessionOptions} and the README's "Sessions".
   */
  sessions?: Partial<SessionOptions>;
  /** Lazy tool mode (see createLazyTools); default eager, every tool listed. */
  lazy?: LazyTools;
  /** Where internal errors are reported (clients get a bare 500). Default: stderr. */
  log?: (line: string) => void;
  /** The clock sessions' idle timers run on. Default: the system's. */
  clock?: Clock;
  /**
   * Upstream log messages for the sessions: the relay whose `onLog` the client was built with
   * (see createLogRelay). Without it, sessions still get their own calls' messages.
   */
  logs?: LogRelay;
  /**
   * The roots set on the upstreams from the sessions' (see createDownstreamRoots): each
   * 2025-11-25 session whose client declares roots counts once its GET stream is open, so an
   * upstream that asks for roots outside a call gets the roots every session lists. Without
   * it (no `--advertise roots`), sessions' roots are not read.
   */
  downstreamRoots?: DownstreamRoots;
  /**
   * The gateway as an OAuth protected resource (`gateway.auth`, see createFrontDoorAuth):
   * every request but /healthz and the discovery documents needs a valid JWT access token,
   * and the dashboard is off (its socket takes the static token only). Not with `token`.
   */
  auth?: FrontDoorAuth;
  /** Per-caller enforcement: tool policy, private caching, audit (see createGatewayAccess). */
  access?: GatewayAccess;
  /**
   * What upstreams are promised, from the sessions' (no `--advertise`; see
   * createAdvertisedUnion, whose `current()` is the client's `advertise`): each 2025-11-25
   * session counts what its `initialize` declared, from then until it ends, and its
   * `initialize` is answered once the upstreams have been told. 2026-07-28 requests (and
   * 2025-11-25 ones without a session) do not count. Without it, the client's `advertise` alone
   * says.
   */
  advertised?: AdvertisedUnion;
}

export interface HttpGateway {
  readonly url: string;
  /** The dashboard page (`${url}/`), or undefined when it is off. */
  readonly dashboardUrl: string | undefined;
  /** 2025-11-25 sessions open now. */
  readonly sessions: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * 2026-07-28 calls that may wait for their client's next input round (between its requests)
 * beyond the requests in flight; more get a tool error.
 */
const MAX_CALLS_WAITING_FOR_INPUT = 100;

/**
 * The gateway over Streamable HTTP at `/mcp`, with `/healthz`, `/status` (JSON snapshot, no
 * secrets), `/metrics` (Prometheus) and the live dashboard (`/`, data over a WebSocket at
 * `/dashboard/ws`) beside it. Binds 127.0.0.1 by default; binding anywhere else requires a
 * bearer token. Host and Origin are checked on every request (DNS rebinding), the WebSocket
 * included. The token guards every route but the dashboard page itself, which is static and
 * holds no data: its WebSocket takes the token (as a header, or as the `bearer.` subprotocol
 * the page sends when opened as `/#token=<token>`). `limits` bound connections, time, requests
 * in flight and body size (src/front-door). A 2025-11-25 client gets a session (`sessions`,
 * src/sessions); 2026-07-28 requests are served statelessly, their calls held across input
 * rounds when an upstream asks for input (src/relay/held-calls.ts).
 */
export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !options.token && !options.auth) {
    throw new InvalidOptionError(
      'token',
      `a bearer token when binding to ${host} (only loopback may be served without one; pass --token or MCPMX_TOKEN, or configure gateway.auth)`,
      undefined,
    );
  }
  if (options.auth && options.token) {
    throw new InvalidOptionError(
      'token',
      'no static token with gateway.auth (callers bring JWT access tokens)',
      'both',
    );
  }
  const dashboardOptions = typeof options.dashboard === 'object' ? options.dashboard : {};
  const limits = resolveFrontDoorLimits(options.limits ?? {}, {
    openFileLimit: readOpenFileLimit(),
    longLivedSockets:
      options.dashboard === false
        ? 0
        : (dashboardOptions.maxClients ?? DEFAULT_DASHBOARD_OPTIONS.maxClients),
  });
  const sessionOptions = resolveSessionOptions(options.sessions ?? {});
  // Through the client's redactor, whoever gave the writer.
  const log = redactedWriter(
    options.client,
    options.log ?? ((line: string) => process.stderr.write(`mcpmx: ${line}\n`)),
  );
  const { client } = options;
  const metrics = createMetrics({ events: client, snapshot: () => client.telemetry() });
  const shed = createShedReport({
    registry: metrics.registry,
    log,
    clock: systemClock,
    describeLimits: `limits: ${limits.maxConnections} connections, ${limits.maxConnectionsPerAddress} per address, ${limits.maxConcurrentRequests} requests at once`,
  });
  const maxRequestBodySize = limits.maxRequestBodyBytes;
  // 2026-07-28 requests: stateless, a server per request. 2025-11-25 ones: sessions, each with
  // its own server, which announces the catalog's changes on its session's GET stream.
  // 2026-07-28 calls whose upstream asks for input are held across the client's rounds.
  const held = createHeldCalls({
    maxHeld: limits.maxConcurrentRequests + MAX_CALLS_WAITING_FOR_INPUT,
    signer: createStateSigner(),
  });
  const { access } = options;
  const perRequestServer = () =>
    createGatewayServer(client, { announceChanges: false, held, lazy: options.lazy, access })
      .server;
  const handler = createMcpHandler(perRequestServer, { legacy: 'reject', maxRequestBodySize });
  const sessions = createHttpSessions({
    ...sessionOptions,
    createServer: () => {
      const session = createGatewayServer(client, {
        logs: options.logs,
        lazy: options.lazy,
        access,
      });
      const roots = options.downstreamRoots?.join(session.server);
      const { advertised } = options;
      let member: UnionMember | undefined;
      let detached = false;
      return {
        server: session.server,
        // The session's GET stream carries the gateway's own roots/list to its client.
        onStreamOpen: roots?.refresh,
        admit: advertised
          ? (initialize) => {
              if (detached) return Promise.resolve();
              member = advertised.join(advertiseFor(declaredCapabilities(initialize)));
              return member.ready;
            }
          : undefined,
        detach: () => {
          detached = true;
          member?.leave();
          roots?.leave();
          session.detach();
        },
      };
    },
    // A 2025-11-25 request without a session (no initialize first): served as before sessions.
    serveWithoutSession: legacyStatelessFallback(perRequestServer, undefined, {
      maxRequestBodySize,
    }),
    clock: options.clock ?? systemClock,
    maxRequestBodySize,
  });
  // Per-request servers hear of changes through the handler: every open 2026-07-28
  // `subscriptions/listen` stream.
  const stopAnnouncing = client.on('catalog-changed', () => {
    handler.notify.toolsChanged();
    handler.notify.resourcesChanged();
    handler.notify.promptsChanged();
  });
  const extraNames = (options.allowedHostnames ?? []).map((name) => name.toLowerCase());
  const allowedNames = {
    hosts: [...localhostAllowedHostnames(), ...extraNames],
    origins: [...localhostAllowedOrigins(), ...extraNames],
  };
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;

  const authorized = (request: IncomingMessage) => tokenMatches(request.headers.authorization);
  const tokenMatches = (authorization: string | undefined) => {
    if (!expected) return true;
    const given = Buffer.from(authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  /** The dashboard's WebSocket gets the same Host/Origin and token checks as every route. */
  const authorizeSocket = (
    request: IncomingMessage,
    { bearer }: { bearer: string | undefined },
  ): DashboardRefusal | undefined => {
    const refused = checkHostAndOrigin(request.headers, allowedNames);
    if (refused) return refused;
    if (!tokenMatches(bearer === undefined ? undefined : `Bearer ${bearer}`)) {
      return { status: 401, message: 'missing or wrong bearer token' };
    }
    return undefined;
  };

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingIntervalMs(limits),
      requireHostHeader: true,
    },
    (request, response) => {
      void route(request, response).catch((error: unknown) => {
        // Logged, never echoed: the message may carry request data.
        log(
          `internal error on ${request.method} ${requestPath(request.url) ?? '(no path)'}: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
        if (response.headersSent) return void response.destroy();
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('internal error\n');
      });
    },
  );
  const connections = limitConnections(server, { ...limits, onShed: shed.connection });
  const requests = createRequestLimit(limits.maxConcurrentRequests, shed.busy);

  const dashboard: Dashboard | undefined =
    options.dashboard === false || options.auth
      ? undefined
      : attachDashboard({
          ...dashboardOptions,
          client,
          server,
          authorize: authorizeSocket,
        });

  // Upgraded sockets (the dashboard's WebSocket) leave the HTTP server but stay counted.
  const onUpgrade = (request: IncomingMessage) => connections.upgraded(request.socket);
  if (dashboard) server.on('upgrade', onUpgrade);

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const path = requestPath(request.url);
    if (path === undefined) return refuse(response, 400, 'the request target must be a path');
    const refused = checkHostAndOrigin(request.headers, allowedNames);
    if (refused) return refuse(response, refused.status, refused.message);
    if (dashboard?.handle(request, response)) return;
    const { auth } = options;
    if (auth && path.startsWith('/.well-known/')) {
      const metadata = auth.metadata(toWebRequest(request, response).web);
      if (metadata) return sendWebResponse(response, metadata);
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found\n');
      return;
    }
    if (!authorized(request)) {
      response.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' });
      response.end('missing or wrong bearer token');
      return;
    }
    // Not counted against maxConcurrentRequests: it must answer when the rest is busy.
    if (path === '/healthz') {
      const up = client.snapshot().servers.filter((s) => s.replicas.some((r) => r.status === 'up'));
      return json(response, up.length > 0 ? 200 : 503, {
        status: up.length > 0 ? 'ok' : 'down',
        serversUp: up.length,
      });
    }
    // A session's GET stream stays open for as long as the session lasts: it is bounded by
    // maxSessions (one per session) and the connection limits, not by the request slots, which
    // it would otherwise hold for good (200 sessions left calls 503 busy).
    const sessionStream = path === '/mcp' && request.method === 'GET';
    if (!sessionStream && !requests.admit(response)) return;
    // With gateway.auth every route from here on needs a verified token.
    let caller: { authInfo: AuthInfo; principal: string } | undefined;
    if (auth) {
      // Its headers only: the body stays for the MCP handler.
      const verified = await auth.authenticate(headersOf(request));
      if (verified instanceof Response) return sendWebResponse(response, verified);
      caller = { authInfo: verified, principal: callerOf(verified)?.principal ?? '' };
    }
    if (path === '/mcp') {
      const { web, closed } = toWebRequest(request, response);
      const legacy = await isLegacyRequest(web, undefined, { maxRequestBodySize });
      return sendWebResponse(
        response,
        legacy
          ? await sessions.handle(web, closed, caller)
          : await handler.fetch(web, caller ? { authInfo: caller.authInfo } : {}),
      );
    }
    if (path === '/status') return json(response, 200, client.snapshot());
    if (path === '/metrics') {
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      response.end(await metrics.metrics());
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found: try /mcp, /status, /healthz, /metrics or / (the dashboard)');
  };

  const closeAll = async () => {
    stopAnnouncing();
    server.off('upgrade', onUpgrade);
    connections.close();
    await dashboard?.close();
    shed.close();
    metrics.close();
    await sessions.close();
    held.close();
    await handler.close();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  }).catch(async (error: unknown) => {
    await closeAll();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    dashboardUrl: dashboard ? `${url}/` : undefined,
    get sessions() {
      return sessions.size;
    },
    close: () => {
      closing ??= (async () => {
        // The dashboard first: its upgraded sockets are no longer the HTTP server's to close.
        await closeAll();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
