import { checkNumber, InvalidOptionError } from '@mcpmx/core';
import { ASSUMED_OPEN_FILE_LIMIT } from './open-file-limit.js';

/** What the HTTP gateway lets clients hold: connections, time, requests in flight and bytes. */
export interface FrontDoorLimits {
  /**
   * Open connections at once, from everyone. Default: a quarter of the process's open-file
   * limit, at most 1024. Must leave at least half of that limit for upstream connections,
   * child processes and files.
   */
  maxConnections: number;
  /**
   * Open connections at once from one remote address (IPv6: one /64). Default: a quarter of
   * maxConnections.
   */
  maxConnectionsPerAddress: number;
  /**
   * Requests being served at once (a held `subscriptions/listen` stream counts); more are
   * answered 503 with `Retry-After`. `/healthz` is not counted. Default: half of what
   * maxConnections leaves after the dashboard's clients, at most 256.
   */
  maxConcurrentRequests: number;
  /** Time for a connection to send a request's headers, its first request's included. Default 10 s. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. Default 30 s. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. Default 5 s. */
  keepAliveTimeoutMs: number;
  /** Largest request body `/mcp` reads; larger ones get 413. Default 4 MiB. */
  maxRequestBodyBytes: number;
}

export const DEFAULT_FRONT_DOOR_LIMITS = {
  maxConnectionsCap: 1024,
  maxConcurrentRequestsCap: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxRequestBodyBytes: 4 * 1024 * 1024,
} as const;

/** Seconds a client told 503 (too many requests) is asked to wait. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * The limits to apply: the options given, the defaults for the rest, checked together.
 * `openFileLimit` is the process's (undefined: unknown, {@link ASSUMED_OPEN_FILE_LIMIT} is
 * assumed); `longLivedSockets` is how many upgraded sockets (dashboard clients) may be held.
 * Connections are what the limits protect: slots held by requests in flight and upgraded
 * sockets must stay below maxConnections, so a new connection always finds a free or idle one.
 */
export function resolveFrontDoorLimits(
  options: Partial<FrontDoorLimits>,
  context: {
    openFileLimit: number | undefined;
    longLivedSockets: number;
    /** What to call each limit in an error (the CLI passes its flags); default its key. */
    names?: Partial<Record<keyof FrontDoorLimits, string>>;
  },
): FrontDoorLimits {
  const name = (key: keyof FrontDoorLimits) => context.names?.[key] ?? key;
  const openFiles = context.openFileLimit ?? ASSUMED_OPEN_FILE_LIMIT;
  const ceiling = Math.floor(openFiles / 2);
  const maxConnections = checkNumber(
    name('maxConnections'),
    options.maxConnections ??
      Math.min(DEFAULT_FRONT_DOOR_LIMITS.maxConnectionsCap, Math.floor(openFiles / 4)),
    { min: 2, max: ceiling, integer: true },
  );
  const maxConnectionsPerAddress = checkNumber(
    name('maxConnectionsPerAddress'),
    options.maxConnectionsPerAddress ?? Math.max(1, Math.floor(maxConnections / 4)),
    { min: 1, max: maxConnections, integer: true },
  );
  const room = maxConnections - context.longLivedSockets;
  const maxConcurrentRequests = checkNumber(
    name('maxConcurrentRequests'),
    options.maxConcurrentRequests ??
      Math.max(
        1,
        Math.min(DEFAULT_FRONT_DOOR_LIMITS.maxConcurrentRequestsCap, Math.floor(room / 2)),
      ),
    { min: 1, integer: true },
  );
  if (maxConcurrentRequests >= room) {
    throw new InvalidOptionError(
      name('maxConcurrentRequests'),
      `below ${name('maxConnections')} (${maxConnections}) less the dashboard's clients (${context.longLivedSockets}), so a new connection always finds a free or idle slot`,
      maxConcurrentRequests,
    );
  }
  const headersTimeoutMs = checkNumber(
    name('headersTimeoutMs'),
    options.headersTimeoutMs ?? DEFAULT_FRONT_DOOR_LIMITS.headersTimeoutMs,
    { min: 1, integer: true },
  );
  const requestTimeoutMs = checkNumber(
    name('requestTimeoutMs'),
    options.requestTimeoutMs ?? DEFAULT_FRONT_DOOR_LIMITS.requestTimeoutMs,
    { min: headersTimeoutMs, integer: true },
  );
  return {
    maxConnections,
    maxConnectionsPerAddress,
    maxConcurrentRequests,
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: checkNumber(
      name('keepAliveTimeoutMs'),
      options.keepAliveTimeoutMs ?? DEFAULT_FRONT_DOOR_LIMITS.keepAliveTimeoutMs,
      { min: 1, integer: true },
    ),
    maxRequestBodyBytes: checkNumber(
      name('maxRequestBodyBytes'),
      options.maxRequestBodyBytes ?? DEFAULT_FRONT_DOOR_LIMITS.maxRequestBodyBytes,
      { min: 1, integer: true },
    ),
  };
}

/**
 * How often Node checks connections for the headers and request timeouts (its default, 30 s,
 * would let an idle socket outlive a 10 s headers timeout threefold): a tenth of the headers
 * timeout, between 10 ms and 1 s. The timer is Node's, stopped when the server closes.
 */
export function connectionsCheckingIntervalMs(limits: FrontDoorLimits): number {
  return Math.min(1000, Math.max(10, Math.floor(limits.headersTimeoutMs / 10)));
}
