import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '@mcpmx/core';
import {
  type AuthInfo,
  type JSONRPCMessage,
  type Server,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import { holdFirstMessage } from '../relay/downstream-capabilities.js';
import { onResponseEnd } from './response-end.js';
import { SESSION_RETRY_AFTER_SECONDS, type SessionOptions } from './session-options.js';

/** What one session serves: its own SDK server, and how to detach it from the client. */
export interface SessionServer {
  server: Server;
  detach: () => void;
  /**
   * Its client opened the session's GET stream: the one way to send it a request of the
   * server's own (not related to one of the client's), which is dropped without it.
   */
  onStreamOpen?: () => void;
  /**
   * The session's `initialize` is answered only once this has settled (see holdFirstMessage):
   * the gateway does first what depends on what the client declared.
   */
  admit?: (initialize: JSONRPCMessage) => Promise<void>;
}

export interface HttpSessionsOptions extends SessionOptions {
  /** A fresh server for each new session (called on each `initialize` without a session id). */
  createServer: () => SessionServer;
  /** Serves a 2025-11-25 request that carries no session id and is no initialize (stateless). */
  serveWithoutSession: (request: Request, options: { authInfo?: AuthInfo }) => Promise<Response>;
  clock: Clock;
  maxRequestBodySize: number;
  /** Told of transport errors (reporting only). */
  onError?: (error: Error) => void;
}

/**
 * Who sends a request, when the front door verified a token: its AuthInfo (handed to the
 * session's handlers as `ctx.http.authInfo`) and its principal. A session belongs to the
 * principal that opened it; another one's requests on it are refused.
 */
export interface SessionCaller {
  authInfo: AuthInfo;
  principal: string;
}

/** The 2025-11-25 sessions of the HTTP gateway. */
export interface HttpSessions {
  /** Sessions open now. */
  readonly size: number;
  /**
   * Serves one 2025-11-25 request at the MCP endpoint: `initialize` without `Mcp-Session-Id`
   * opens a session (503 past maxSessions), a known id is served by its session (DELETE ends
   * it), an unknown one gets 404; other requests without an id are served statelessly.
   * `gone` aborts when the client goes away before the answer is complete.
   */
  handle(request: Request, gone: AbortSignal, caller?: SessionCaller): Promise<Response>;
  /** Ends every session (servers closed, streams ended, timers cleared). Idempotent. */
  close(): Promise<void>;
}

interface Session {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  /** The principal that opened it, when callers are verified. */
  readonly owner: string | undefined;
  readonly server: SessionServer;
  /** Requests of this session not yet answered in full (its GET stream included). */
  open: number;
  idleTimer: TimerHandle | undefined;
}

/** 128 random bits from the system's CSPRNG, URL-safe: never predictable, never reused. */
const newSessionId = () => randomBytes(16).toString('base64url');

/**
 * Sessions on the SDK's own Streamable HTTP transport (`sessionIdGenerator` set: it issues the
 * id, keeps the GET stream, answers DELETE): one transport and one server per session. This
 * keeps the map from id to session, the idle timers (on the injected clock) and the bound.
 */
export function createHttpSessions(options: HttpSessionsOptions): HttpSessions {
  const sessions = new Map<string, Session>();
  let closed = false;

  const end = (id: string, session: Session) => {
    if (sessions.get(id) !== session) return;
    sessions.delete(id);
    options.clock.clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
    session.server.detach();
  };

  const armIdleTimer = (id: string, session: Session) => {
    options.clock.clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
    if (closed || session.open > 0 || sessions.get(id) !== session) return;
    session.idleTimer = options.clock
      .setTimeout(() => {
        session.idleTimer = undefined;
        // Closing the server closes its transport, whose onclose ends the session.
        void session.server.server.close().catch(() => undefined);
      }, options.idleTimeoutMs)
      .unref();
  };

  /** Counts the request open until its response is sent in full or its client goes away. */
  const track = (id: string, session: Session, gone: AbortSignal, response: Response) => {
    session.open++;
    options.clock.clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
    return onResponseEnd(response, gone, () => {
      session.open--;
      armIdleTimer(id, session);
    });
  };

  const refuse = () =>
    jsonError(
      503,
      -32000,
      `the gateway holds ${options.maxSessions} sessions already (maxSessions); retry after ${SESSION_RETRY_AFTER_SECONDS} s, or end one with DELETE`,
      { 'retry-after': String(SESSION_RETRY_AFTER_SECONDS) },
    );

  /**
   * A POST without a session id: an `initialize` opens a session (its server is made only
   * then, and only within maxSessions); anything else is served statelessly, as before sessions.
   */
  const open = async (
    request: Request,
    gone: AbortSignal,
    caller: SessionCaller | undefined,
  ): Promise<Response> => {
    const extra = caller ? { authInfo: caller.authInfo } : {};
    if (request.method !== 'POST') return await options.serveWithoutSession(request, extra);
    // The transport reads the body; the copy is for the stateless answer (bounded the same way).
    const copy = request.clone();
    let created: { id: string; session: Session } | undefined;
    let refused = false;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: newSessionId,
      maxRequestBodySize: options.maxRequestBodySize,
      // Called once the body is known to be an initialize, before it is dispatched.
      onsessioninitialized: async (id) => {
        if (closed || sessions.size >= options.maxSessions) {
          refused = true;
          throw new Error('session refused');
        }
        const server = options.createServer();
        const session: Session = {
          transport,
          server,
          owner: caller?.principal,
          open: 0,
          idleTimer: undefined,
        };
        sessions.set(id, session); // before any await: concurrent initializes see it counted
        transport.onclose = () => end(id, session);
        try {
          await server.server.connect(transport);
        } catch (error) {
          end(id, session);
          throw error;
        }
        if (server.admit) holdFirstMessage(transport, server.admit);
        created = { id, session };
      },
    });
    if (options.onError) transport.onerror = options.onError;
    let response: Response;
    try {
      response = await transport.handleRequest(request, extra);
    } catch (error) {
      if (refused) return refuse();
      throw error;
    }
    // A refusal thrown from onsessioninitialized: the transport answered it as a parse error.
    if (refused) return refuse();
    if (created) return track(created.id, created.session, gone, response);
    return await options.serveWithoutSession(copy, extra);
  };

  return {
    get size() {
      return sessions.size;
    },
    async handle(request, gone, caller) {
      const id = request.headers.get('mcp-session-id');
      if (id === null) return await open(request, gone, caller);
      const session = sessions.get(id);
      if (!session) {
        return jsonError(
          404,
          -32001,
          'Session not found: it ended (DELETE, idle timeout, gateway restart) or never existed; send initialize without Mcp-Session-Id for a new one',
        );
      }
      if (session.owner !== caller?.principal) {
        return jsonError(
          403,
          -32001,
          'this session was opened by another caller: send initialize without Mcp-Session-Id for a session of your own',
        );
      }
      const response = await session.transport.handleRequest(
        request,
        caller ? { authInfo: caller.authInfo } : {},
      );
      if (request.method === 'GET' && response.ok) session.server.onStreamOpen?.();
      return track(id, session, gone, response);
    },
    async close() {
      if (closed) return;
      closed = true;
      const all = [...sessions.values()];
      await Promise.all(all.map((session) => session.server.server.close().catch(() => undefined)));
      for (const [id, session] of [...sessions]) end(id, session);
    },
  };
}

function jsonError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
