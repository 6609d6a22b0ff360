import {
  AuthError,
  type ConnectError,
  createEmitter,
  delay,
  describeTransport,
  type EndpointDescriptor,
  EndpointNotFoundError,
  fullJitterDelay,
  type McpSession,
  PoolClosedError,
  type PoolStats,
  type ReplicaStatus,
  type RequestOptions,
  SessionClosedError,
  type SessionPool,
  type SessionPoolEvents,
  type TimerHandle,
  wasNeverSent,
} from '@mcpmx/core';
import pRetry from 'p-retry';
import { closeIfUnreachable } from './health.js';
import { createPoolInteractionState } from './pool-interactions.js';
import { forwardOperations } from './pool-operations.js';
import { resolvePoolOptions, type SessionPoolOptions } from './pool-options.js';
import { createUpkeep } from './pool-upkeep.js';
import { openSession, type Session } from './session.js';
import { createSessionRenewal } from './session-renewal.js';
import { type Waiter, waitInLine } from './waiting-line.js';

/**
 * The pooled, self-healing sessions to one endpoint.
 *
 * - Sessions are shared, not checked out: each request goes to the least-loaded live session,
 *   and another session opens when every one carries more than `maxInFlightPerSession`.
 * - Acquirers wait FIFO, up to `acquireTimeoutMs`, when no session is live.
 * - A dead session fails its in-flight requests at once (SessionClosedError) and is replaced
 *   with full-jitter exponential backoff; the endpoint reads `down` meanwhile.
 * - A server that refuses the connection for its credentials (AuthError, HTTP 401/403) or has
 *   no MCP endpoint at the URL (EndpointNotFoundError, 404) is not retried as a network fault:
 *   calls fail at once with that error, and the next attempt waits the longest backoff.
 * - The pool itself implements McpOperations, so a handle held before a heal keeps working.
 */
export function createSessionPool(
  endpoint: EndpointDescriptor,
  options: SessionPoolOptions = {},
): SessionPool {
  const settings = resolvePoolOptions(options);
  const { clock } = settings;
  const label = `${endpoint.server} (${endpoint.id}, ${describeTransport(endpoint.transport)})`;
  const fields = { server: endpoint.server, replica: endpoint.id };
  const events = createEmitter<SessionPoolEvents>();
  const sessions: Session[] = [];
  const waiters: Waiter[] = [];
  const lifetime = new AbortController();
  const pendingOpens = new Set<Promise<unknown>>();
  let connecting = 0;
  let healing = false;
  let status: ReplicaStatus = 'unknown';
  let lastError: string | undefined;
  /**
   * Set while the server refuses the connection in a way waiting does not cure (HTTP 401/403,
   * 404): calls then fail at once with it instead of waiting out the acquire timeout.
   */
  let refusal: ConnectError | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  const renewal = createSessionRenewal();

  const setStatus = (to: ReplicaStatus, reason: string, error?: unknown) => {
    if (to === status) return;
    const from = status;
    status = to;
    events.emit('status', {
      server: endpoint.server,
      replica: endpoint.id,
      from,
      to,
      reason,
      error,
      at: clock.now(),
    });
  };

  const leastLoaded = (): Session | undefined => {
    let best: Session | undefined;
    for (const session of sessions) {
      if (session.isClosed) continue;
      if (!best || session.inFlight < best.inFlight) best = session;
    }
    return best;
  };

  const sessionOptions = () => ({
    clock,
    connectTimeoutMs: settings.connectTimeoutMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    maxRequestDepth: settings.maxRequestDepth,
    protocol: settings.protocol,
    transport: {
      authProvider: settings.authProvider,
      auth: settings.auth,
      stderrLimit: settings.stderrLimit,
      maxMessageBytes: settings.maxMessageBytes,
    },
    createTransport: settings.createTransport,
    clientInfo: settings.clientInfo,
    signal: lifetime.signal,
    interactions: settings.interactions,
  });

  /** Opens a session (again, if a renewal came during its handshake: see session-renewal.ts). */
  const open = (): Promise<Session> => {
    const opening = renewal.open(
      () => openSession(endpoint, sessionOptions()),
      () => (closed ? new PoolClosedError(`the pool for ${label} was closed`, fields) : undefined),
    );
    pendingOpens.add(opening);
    void opening.then(
      () => pendingOpens.delete(opening),
      () => pendingOpens.delete(opening),
    );
    return opening;
  };

  const adopt = (session: Session) => {
    renewal.adopted(session);
    if (closed) {
      void session.close();
      return;
    }
    sessions.push(session);
    lastError = undefined;
    refusal = undefined;
    events.emit('session-opened', { replica: endpoint.id, session: session.id });
    remembered.adopted(session);
    session.on('list-changed', ({ kind }) =>
      events.emit('list-changed', { replica: endpoint.id, kind }),
    );
    session.on('unexpected-response', ({ id }) =>
      events.emit('unexpected-response', { replica: endpoint.id, session: session.id, id }),
    );
    session.on('answered', () => {
      upkeep.answered(session);
      if (status === 'degraded') setStatus('up', 'a request was answered');
    });
    session.on('unreachable', ({ reason }) => {
      if (!closed) void closeIfUnreachable(session, settings.healthCheckTimeoutMs, reason);
    });
    session.on('closed', ({ reason, error }) => {
      const index = sessions.indexOf(session);
      if (index !== -1) sessions.splice(index, 1);
      else renewal.forget(session);
      remembered.closed(session);
      events.emit('session-closed', { replica: endpoint.id, session: session.id, reason, error });
      if (closed) return;
      // A retired session (index -1) closing says nothing about the endpoint.
      if (sessions.length === 0 && index !== -1) {
        lastError = reason;
        setStatus('down', `session closed: ${reason}`, error);
      }
      ensureCapacity();
    });
    setStatus('up', 'session opened');
    while (waiters.length > 0) {
      const next = leastLoaded();
      const waiter = waiters.shift();
      if (!next || !waiter) break;
      waiter.cleanup();
      waiter.resolve(next);
    }
  };

  /** Opens sessions until one succeeds or the pool closes: p-retry with full jitter. */
  const heal = () => {
    if (healing || closed) return;
    healing = true;
    connecting++;
    if (status === 'unknown') setStatus('connecting', 'opening the first session');
    const attempt = pRetry(open, {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      signal: lifetime.signal,
      shouldRetry: () => !closed,
      onFailedAttempt: async ({ error, attemptNumber }) => {
        lastError = error.message;
        // Refused credentials or a wrong path fail the same way until someone fixes them: the
        // waiting calls get the reason now, and the next attempt waits the longest backoff.
        const refused = AuthError.isInstance(error) || EndpointNotFoundError.isInstance(error);
        refusal = refused ? error : undefined;
        if (sessions.length === 0) setStatus('down', error.message, error);
        if (refused) {
          for (const waiter of waiters.splice(0)) {
            waiter.cleanup();
            waiter.reject(error);
          }
        }
        const wait = refused
          ? settings.backoff.maxMs
          : fullJitterDelay(attemptNumber - 1, settings.backoff, settings.random);
        await delay(clock, wait, { signal: lifetime.signal }).catch(() => undefined);
      },
    })
      .then(adopt, () => undefined)
      .finally(() => {
        connecting--;
        healing = false;
        pendingOpens.delete(attempt);
        if (!closed) ensureCapacity();
      });
    pendingOpens.add(attempt);
  };

  /** Opens one more session for load; a failure here is not an outage. */
  const grow = () => {
    connecting++;
    const attempt = open()
      .then(adopt, (error: Error) => {
        lastError = error.message;
      })
      .finally(() => {
        connecting--;
        pendingOpens.delete(attempt);
      });
    pendingOpens.add(attempt);
  };

  /**
   * Heals below minSessions, and opens another session when every one is at
   * maxInFlightPerSession. `incoming` is a session a request is about to be sent on: it counts
   * with that request.
   */
  const ensureCapacity = (incoming?: Session) => {
    if (closed) return;
    const wanted = Math.max(settings.minSessions, waiters.length > 0 ? 1 : 0);
    if (sessions.length + connecting < wanted) {
      heal();
      return;
    }
    if (sessions.length === 0 || sessions.length + connecting >= settings.maxSessions) return;
    for (const session of sessions) {
      const load = session.inFlight + (session === incoming ? 1 : 0);
      if (load < settings.maxInFlightPerSession) return;
    }
    grow();
  };

  /** A session in use, or idle for less than validateAfterIdleMs, is handed out unprobed. */
  const fresh = (session: Session) =>
    session.inFlight > 0 || clock.now() - session.lastUsedAt < settings.validateAfterIdleMs;

  /** The session for a request sent now, when one is live and needs no validation. */
  const ready = (): Session | undefined => {
    if (closed) return undefined;
    const session = leastLoaded();
    if (session === undefined || !fresh(session)) return undefined;
    ensureCapacity(session);
    return session;
  };

  /** A session idle for long is checked before it is handed out (see pool-upkeep.ts). */
  const validate = async (session: Session) => fresh(session) || (await upkeep.validate(session));

  const acquire = async (
    acquireOptions: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<Session> => {
    for (;;) {
      if (closed) throw new PoolClosedError(`the pool for ${label} is closed`, fields);
      const session = leastLoaded();
      if (session) {
        ensureCapacity();
        if (await validate(session)) return session;
        continue;
      }
      return waitForSession(acquireOptions);
    }
  };

  const waitForSession = (acquireOptions: { signal?: AbortSignal; timeoutMs?: number }) =>
    waitInLine(acquireOptions, {
      waiters,
      clock,
      label,
      fields,
      acquireTimeoutMs: settings.acquireTimeoutMs,
      maxWaiters: settings.maxWaiters,
      refusal: () => (sessions.length === 0 ? refusal : undefined),
      why: () => `endpoint is ${status}${lastError ? `; last error: ${lastError}` : ''}`,
      ensureCapacity: () => ensureCapacity(),
    });

  const upkeep = createUpkeep({
    sessions: () => sessions,
    settings,
    closed: () => closed,
    degraded: () => status === 'degraded',
    up: (reason) => setStatus('up', reason),
    failed: (message, error) => {
      lastError = message;
      if (error !== undefined) setStatus('degraded', message, error);
    },
  });
  const { checkHealth, evictIdle } = upkeep;

  const timers: TimerHandle[] = [clock.setInterval(evictIdle, settings.evictionIntervalMs)];
  if (settings.healthCheckIntervalMs > 0) {
    timers.push(clock.setInterval(() => void checkHealth(), settings.healthCheckIntervalMs));
  }
  for (const timer of timers) timer.unref?.();
  // Open minSessions now, so the endpoint's status is known before the first call.
  ensureCapacity();

  /** Runs one request on a pooled session; retries once if its session died before sending. */
  const withSession = async <T>(
    requestOptions: RequestOptions | undefined,
    send: (session: McpSession) => Promise<T>,
  ): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      // Fast path: a live session that needs no validation is used without an await.
      const now = ready();
      const session = now ?? (await acquire({ signal: requestOptions?.signal }));
      try {
        const pending = send(session);
        if (now === undefined) ensureCapacity();
        return await pending;
      } catch (error) {
        // Only a session that died before sending is worth a second try, on another session; a
        // request that failed alone (a refused connection over HTTP) would fail the same way.
        if (!SessionClosedError.isInstance(error) || !wasNeverSent(error) || attempt > 0) {
          throw error;
        }
      }
    }
  };

  const operations = forwardOperations(withSession);
  // What the owner asked of every session (log level, subscriptions), renewed on new ones.
  const remembered = createPoolInteractionState({ live: () => sessions, acquire: () => acquire() });

  return {
    ...operations,
    endpoint,
    get status() {
      return status;
    },
    acquire,
    ready,
    stats: (): PoolStats => ({
      status,
      sessions: sessions.length,
      connecting,
      inFlight: sessions.reduce((sum, s) => sum + s.inFlight, renewal.inFlight()),
      waiting: waiters.length,
      lastError,
    }),
    on: events.on,
    setLogLevel: (level) => remembered.setLogLevel(level),
    subscribeResource: (uri) => remembered.subscribeResource(uri),
    unsubscribeResource: (uri) => remembered.unsubscribeResource(uri),
    notifyRootsChanged: () => remembered.notifyRootsChanged(),
    renewSessions: async (reason) => {
      if (closed) return;
      const live = sessions.splice(0);
      renewal.retire(live, reason);
      // Without a live session there is nothing to wait for: the endpoint is coming up (or
      // down), and a handshake under way is opened again (see open).
      if (live.length === 0) return;
      // Resolves once a session opened after the renewal is live, or none could be opened.
      await acquire().then(
        () => undefined,
        () => undefined,
      );
    },
    close: () => {
      closing ??= (async () => {
        closed = true;
        lifetime.abort(new PoolClosedError(`the pool for ${label} is closed`, fields));
        for (const timer of timers) clock.clearInterval(timer);
        for (const waiter of waiters.splice(0)) {
          waiter.cleanup();
          waiter.reject(new PoolClosedError(`the pool for ${label} was closed`, fields));
        }
        await Promise.allSettled([...pendingOpens]);
        const all = [...sessions.splice(0), ...renewal.draining(), ...renewal.unadopted()];
        await Promise.allSettled(all.map((session) => session.close()));
        events.removeAllListeners();
      })();
      return closing;
    },
  };
}
