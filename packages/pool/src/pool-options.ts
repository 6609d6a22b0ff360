import type { EndpointDescriptor } from '@mcpmx/core';
import {
  type BackoffOptions,
  type Clock,
  checkNumber,
  InvalidOptionError,
  type Random,
  resolveBackoff,
  systemClock,
  systemRandom,
} from '@mcpmx/core';
import type { UpstreamAuth } from '@mcpmx/oauth';
import type { AuthProvider, OAuthClientProvider, Transport } from '@modelcontextprotocol/client';
import type { PoolInteractions } from './interactions.js';
import { DEFAULT_MAX_REQUEST_DEPTH } from './invalid-request.js';
import type { ProtocolMode } from './session.js';

/** Options of createSessionPool. Every one has a default; see DEFAULT_POOL_OPTIONS. */
export interface SessionPoolOptions {
  /** Sessions kept open even when idle. Default 1. */
  minSessions?: number;
  /** Upper bound on open sessions (each stdio session is a process). Default 4. */
  maxSessions?: number;
  /** In-flight requests per session above which another session is opened. Default 32. */
  maxInFlightPerSession?: number;
  /** How long an acquire (and so a call) waits for a live session. Default 10000 ms. */
  acquireTimeoutMs?: number;
  /** Spawn/connect plus handshake budget per session. Default 10000 ms. */
  connectTimeoutMs?: number;
  /** Default per-request timeout. Default 30000 ms (the SDK's 60 s is too long for routing). */
  requestTimeoutMs?: number;
  /** Sessions idle this long above minSessions are closed by the evictor. Default 60000 ms. */
  idleTimeoutMs?: number;
  /** How often the evictor runs. Default 10000 ms. */
  evictionIntervalMs?: number;
  /** How often live sessions are health-checked; 0 disables. Default 15000 ms. */
  healthCheckIntervalMs?: number;
  /** Health-check timeout. Default 5000 ms. */
  healthCheckTimeoutMs?: number;
  /** A session idle this long is validated (pinged) before it is handed out. Default 30000 ms. */
  validateAfterIdleMs?: number;
  /** Reconnect backoff (full jitter). Default initial 250 ms, x2, max 30000 ms. */
  backoff?: Partial<BackoffOptions>;
  /** Protocol revisions to speak. Default 'auto' (2026-07-28, falling back to 2025-11-25). */
  protocol?: ProtocolMode;
  /** The SDK's auth provider, for HTTP endpoints. */
  authProvider?: AuthProvider | OAuthClientProvider;
  /**
   * Upstream auth shared by every session and reconnect of the endpoint (an OAuthSession or
   * createClientCredentialsAuth from @mcpmx/oauth), for HTTP endpoints: one token, one renewal
   * at a time, step-up on 403 insufficient_scope. The connect timeout stops while a login runs.
   * A login that is needed and cannot run fails the connect at once with AuthRequiredError.
   * Not with `authProvider`.
   */
  auth?: UpstreamAuth;
  /** Characters of a stdio server's stderr kept for error messages. Default 8192. */
  stderrLimit?: number;
  /**
   * The largest message accepted from the server, in bytes, on every transport. Over Streamable
   * HTTP a larger answer fails its request only, with a MessageTooLargeError naming this limit;
   * over stdio, WebSocket and legacy SSE it closes the session, with a message naming it.
   * Default 32 MiB.
   */
  maxMessageBytes?: number;
  /**
   * The deepest nesting of objects and arrays accepted in a request's params (tool arguments).
   * A deeper request fails at once with an InvalidRequestError naming this limit, before it is
   * sent, instead of overflowing the stack in JSON.stringify at a depth that depends on the
   * caller's stack, or failing on the server. Infinity disables the check. Default 1000.
   */
  maxRequestDepth?: number;
  /**
   * Calls that may wait for a session while none is live; one more fails at once with an
   * AcquireTimeoutError naming this limit. Infinity disables the bound. Default 1000.
   */
  maxWaiters?: number;
  /**
   * Builds the SDK transport of each new session instead of the built-in ones (which come from
   * `endpoint.transport`): for an in-process server (`InMemoryTransport`), a custom wire, or a
   * test. Called once per session; the pool starts and closes what it returns. The endpoint's
   * `transport` config is then only its description in labels and errors. A send it rejects is
   * taken to mean the connection is gone, as on stdio: have the transport close then.
   */
  createTransport?: (endpoint: EndpointDescriptor) => Transport;
  /**
   * What the owner answers when a server asks something of the client (elicitation, sampling,
   * roots) and hears (log messages, resource updates); see PoolInteractions. Default: none,
   * and sessions advertise no client capabilities.
   */
  interactions?: PoolInteractions;
  clientInfo?: { name: string; version: string };
  clock?: Clock;
  random?: Random;
}

export const DEFAULT_POOL_OPTIONS = {
  minSessions: 1,
  maxSessions: 4,
  maxInFlightPerSession: 32,
  acquireTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  evictionIntervalMs: 10_000,
  healthCheckIntervalMs: 15_000,
  healthCheckTimeoutMs: 5_000,
  validateAfterIdleMs: 30_000,
  backoff: { initialMs: 250, factor: 2, maxMs: 30_000 },
  protocol: 'auto',
  stderrLimit: 8192,
  maxMessageBytes: 32 * 1024 * 1024,
  maxWaiters: 1000,
  maxRequestDepth: DEFAULT_MAX_REQUEST_DEPTH,
  clientInfo: { name: 'mcpmx', version: '0.0.0' },
} as const;

export type ResolvedPoolOptions = Required<
  Omit<SessionPoolOptions, 'auth' | 'authProvider' | 'backoff' | 'createTransport' | 'interactions'>
> & {
  auth?: UpstreamAuth;
  interactions?: PoolInteractions;
  backoff: Required<BackoffOptions>;
  authProvider?: AuthProvider | OAuthClientProvider;
  createTransport?: (endpoint: EndpointDescriptor) => Transport;
};

/** Applies defaults and checks every option, naming the bad one. */
export function resolvePoolOptions(options: SessionPoolOptions = {}): ResolvedPoolOptions {
  const resolved: ResolvedPoolOptions = {
    ...DEFAULT_POOL_OPTIONS,
    ...stripUndefined(options),
    backoff: resolveBackoff({ ...DEFAULT_POOL_OPTIONS.backoff, ...options.backoff }),
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
  };
  checkNumber('minSessions', resolved.minSessions, { min: 0, integer: true });
  checkNumber('maxSessions', resolved.maxSessions, { min: 1, integer: true });
  if (resolved.maxSessions < resolved.minSessions) {
    throw new InvalidOptionError(
      'maxSessions',
      `>= minSessions (${resolved.minSessions})`,
      resolved.maxSessions,
    );
  }
  checkNumber('maxInFlightPerSession', resolved.maxInFlightPerSession, { min: 1, integer: true });
  for (const name of [
    'acquireTimeoutMs',
    'connectTimeoutMs',
    'requestTimeoutMs',
    'idleTimeoutMs',
    'evictionIntervalMs',
    'healthCheckTimeoutMs',
  ] as const) {
    checkNumber(name, resolved[name], { min: 0, exclusiveMin: true });
  }
  checkNumber('healthCheckIntervalMs', resolved.healthCheckIntervalMs, { min: 0 });
  checkNumber('validateAfterIdleMs', resolved.validateAfterIdleMs, { min: 0 });
  checkNumber('stderrLimit', resolved.stderrLimit, { min: 0, integer: true });
  checkNumber('maxMessageBytes', resolved.maxMessageBytes, { min: 1024, integer: true });
  if (resolved.maxWaiters !== Number.POSITIVE_INFINITY) {
    checkNumber('maxWaiters', resolved.maxWaiters, { min: 0, integer: true });
  }
  if (resolved.maxRequestDepth !== Number.POSITIVE_INFINITY) {
    checkNumber('maxRequestDepth', resolved.maxRequestDepth, { min: 1, integer: true });
  }
  if (resolved.createTransport !== undefined && typeof resolved.createTransport !== 'function') {
    throw new InvalidOptionError('createTransport', 'a function', resolved.createTransport);
  }
  if (resolved.auth !== undefined && typeof resolved.auth.forEndpoint !== 'function') {
    throw new InvalidOptionError('auth', 'an UpstreamAuth (forEndpoint(url))', resolved.auth);
  }
  if (resolved.auth !== undefined && resolved.authProvider !== undefined) {
    throw new InvalidOptionError('auth', 'not with authProvider (give one of them)', 'both');
  }
  if (!['auto', 'legacy', '2026-07-28'].includes(resolved.protocol)) {
    throw new InvalidOptionError('protocol', '"auto", "legacy" or "2026-07-28"', resolved.protocol);
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
