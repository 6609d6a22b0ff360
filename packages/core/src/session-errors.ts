import { McpmxError, type McpmxErrorFields } from './errors.js';

/**
 * A session could not be opened: process failed to start, connection refused, handshake failed.
 * `status` is the HTTP status that refused it, when one did. Two refusals that waiting will not
 * cure have their own classes: AuthError (401, 403) and EndpointNotFoundError (404).
 */
export class ConnectError extends McpmxError {
  static override readonly errorCode:
    | 'MCPMX_CONNECT_FAILED'
    | 'MCPMX_AUTH_FAILED'
    | 'MCPMX_AUTH_REQUIRED'
    | 'MCPMX_ENDPOINT_NOT_FOUND' = 'MCPMX_CONNECT_FAILED';
  readonly status: number | undefined;
  constructor(message: string, fields: McpmxErrorFields & { status?: number } = {}) {
    super(new.target.errorCode, message, fields);
    this.name = 'ConnectError';
    this.status = fields.status;
  }
}

/**
 * The server refused the connection for its credentials: HTTP 401 (none, or not accepted) or
 * 403 (not allowed). Not a sick server: it does not count against the replica's breaker, and
 * the pool tries again only after its longest backoff, since the same credentials would be
 * refused the same way.
 */
export class AuthError extends ConnectError {
  static override readonly errorCode: 'MCPMX_AUTH_FAILED' | 'MCPMX_AUTH_REQUIRED' =
    'MCPMX_AUTH_FAILED';
  declare readonly status: number;
  constructor(message: string, fields: McpmxErrorFields & { status: number }) {
    super(message, fields);
    this.name = 'AuthError';
  }
}

/**
 * The server needs an OAuth login that cannot run here: no stored token (or its refresh token
 * was refused or revoked) and no interactive handler to send the user to the authorization
 * page. An AuthError (so the pool does not retry it as a network fault); the message says how
 * to log in: "run `mcpmx login <server>`". `login` is that command.
 */
export class AuthRequiredError extends AuthError {
  static override readonly errorCode = 'MCPMX_AUTH_REQUIRED' as const;
  /** The command that logs in: `mcpmx login <server>`. */
  readonly login: string;
  constructor(message: string, fields: McpmxErrorFields & { status?: number; login: string }) {
    super(message, { ...fields, status: fields.status ?? 401 });
    this.name = 'AuthRequiredError';
    this.login = fields.login;
  }
}

/**
 * A token store could not be read or written: a file that is not the store's JSON, a
 * permission error. `path` names the file where there is one.
 */
export class TokenStoreError extends McpmxError {
  static override readonly errorCode = 'MCPMX_TOKEN_STORE_FAILED' as const;
  readonly path: string | undefined;
  constructor(message: string, fields: McpmxErrorFields & { path?: string } = {}) {
    super('MCPMX_TOKEN_STORE_FAILED', message, fields);
    this.name = 'TokenStoreError';
    this.path = fields.path;
  }
}

/**
 * The URL answered HTTP 404 to the handshake: no MCP endpoint at that path, a configuration
 * error (a wrong path, or the wrong port). The pool tries again only after its longest backoff.
 */
export class EndpointNotFoundError extends ConnectError {
  static override readonly errorCode = 'MCPMX_ENDPOINT_NOT_FOUND' as const;
  declare readonly status: number;
  constructor(message: string, fields: McpmxErrorFields & { status: number }) {
    super(message, fields);
    this.name = 'EndpointNotFoundError';
  }
}

/**
 * Whether a request that failed reached the server: `false`, provably not (it was never
 * written, so it did not run); `'unknown'`, it may have run; `true`, it did.
 */
export type ReachedServer = boolean | 'unknown';

/**
 * One request failed in transit while its session lives on: the connection for this request
 * could not be opened, or broke before the answer came (an HTTP request's own socket). Only
 * that request fails. `reachedServer` says whether it may have been executed: `false` means it
 * provably was not, `'unknown'` (the default) that it may have been.
 */
export class TransportError extends McpmxError {
  static override readonly errorCode: 'MCPMX_TRANSPORT_ERROR' | 'MCPMX_SESSION_CLOSED' =
    'MCPMX_TRANSPORT_ERROR';
  readonly reachedServer: ReachedServer;
  constructor(message: string, fields: McpmxErrorFields & { reachedServer?: ReachedServer } = {}) {
    super(new.target.errorCode, message, fields);
    this.name = 'TransportError';
    this.reachedServer = fields.reachedServer ?? 'unknown';
  }
}

/**
 * The session carrying a request died (process exit, socket close, transport error) before the
 * answer arrived, and is being replaced. `reachedServer` as for TransportError.
 */
export class SessionClosedError extends TransportError {
  static override readonly errorCode = 'MCPMX_SESSION_CLOSED' as const;
  constructor(message: string, fields: McpmxErrorFields & { reachedServer?: ReachedServer } = {}) {
    super(message, fields);
    this.name = 'SessionClosedError';
  }
}

/**
 * The caller's request cannot be sent as it is: its arguments cannot be serialized (a BigInt, a
 * cycle, a getter that throws, nesting deeper than the limit) or it is not a valid request. It
 * was never sent, it is not the server's fault, and sending it again cannot help.
 */
export class InvalidRequestError extends McpmxError {
  /** Subclasses name their own code (aggregator's CacheKeyError: `MCPMX_INVALID_CACHE_KEY`). */
  static override readonly errorCode: 'MCPMX_INVALID_REQUEST' | 'MCPMX_INVALID_CACHE_KEY' =
    'MCPMX_INVALID_REQUEST';
  constructor(message: string, fields: McpmxErrorFields = {}) {
    super(new.target.errorCode, message, fields);
    this.name = 'InvalidRequestError';
  }
}

/**
 * True for a TransportError (or SessionClosedError) whose request provably never left
 * (`reachedServer` false): it was not executed, so sending it again, on another session, is safe.
 */
export function wasNeverSent(error: unknown): error is TransportError {
  return TransportError.isInstance(error) && error.reachedServer === false;
}

/** No session became available within the acquire timeout. */
export class AcquireTimeoutError extends McpmxError {
  static override readonly errorCode = 'MCPMX_ACQUIRE_TIMEOUT' as const;
  readonly timeoutMs: number;
  constructor(message: string, fields: McpmxErrorFields & { timeoutMs: number }) {
    super('MCPMX_ACQUIRE_TIMEOUT', message, fields);
    this.name = 'AcquireTimeoutError';
    this.timeoutMs = fields.timeoutMs;
  }
}

/** The pool (or client) was closed; no more requests are accepted. */
export class PoolClosedError extends McpmxError {
  static override readonly errorCode = 'MCPMX_POOL_CLOSED' as const;
  constructor(message: string, fields: McpmxErrorFields = {}) {
    super('MCPMX_POOL_CLOSED', message, fields);
    this.name = 'PoolClosedError';
  }
}

/** A request did not complete within its timeout. */
export class RequestTimeoutError extends McpmxError {
  static override readonly errorCode = 'MCPMX_TIMEOUT' as const;
  readonly timeoutMs: number;
  constructor(message: string, fields: McpmxErrorFields & { timeoutMs: number }) {
    super('MCPMX_TIMEOUT', message, fields);
    this.name = 'RequestTimeoutError';
    this.timeoutMs = fields.timeoutMs;
  }
}

/** The caller aborted the request. */
export class CancelledError extends McpmxError {
  static override readonly errorCode = 'MCPMX_CANCELLED' as const;
  constructor(message: string, fields: McpmxErrorFields = {}) {
    super('MCPMX_CANCELLED', message, fields);
    this.name = 'CancelledError';
  }
}

/** The server answered with a JSON-RPC error. `rpcCode` is the JSON-RPC error code. */
export class RemoteError extends McpmxError {
  static override readonly errorCode = 'MCPMX_REMOTE_ERROR' as const;
  readonly rpcCode: number | undefined;
  readonly data: unknown;
  constructor(message: string, fields: McpmxErrorFields & { rpcCode?: number; data?: unknown }) {
    super('MCPMX_REMOTE_ERROR', message, fields);
    this.name = 'RemoteError';
    this.rpcCode = fields.rpcCode;
    this.data = fields.data;
  }
}

/**
 * The client could not answer what a server asked of it during a request: on 2026-07-28 an
 * `input_required` result whose inputs a handler failed to give (it threw, timed out, or none
 * is set), or that asked for more rounds than allowed. `method` is what the server asked for.
 */
export class InteractionError extends McpmxError {
  static override readonly errorCode = 'MCPMX_INTERACTION_FAILED' as const;
  readonly method: string | undefined;
  constructor(message: string, fields: McpmxErrorFields & { method?: string } = {}) {
    super('MCPMX_INTERACTION_FAILED', message, fields);
    this.name = 'InteractionError';
    this.method = fields.method;
  }
}

/** The peer broke the protocol: garbage on the wire, a malformed message, a wrong shape. */
export class ProtocolError extends McpmxError {
  /** Subclasses name their own code (MessageTooLargeError: `MCPMX_MESSAGE_TOO_LARGE`). */
  static override readonly errorCode: 'MCPMX_PROTOCOL_ERROR' | 'MCPMX_MESSAGE_TOO_LARGE' =
    'MCPMX_PROTOCOL_ERROR';
  constructor(message: string, fields: McpmxErrorFields = {}) {
    super(new.target.errorCode, message, fields);
    this.name = 'ProtocolError';
  }
}

/**
 * A message from the server was larger than the pool's `maxMessageBytes`: it was not read
 * whole. `limit` is that setting, `size` the bytes the message had reached when reading stopped
 * (at least `limit + 1`; the message may have been larger still).
 */
export class MessageTooLargeError extends ProtocolError {
  static override readonly errorCode = 'MCPMX_MESSAGE_TOO_LARGE' as const;
  readonly limit: number;
  readonly size: number;
  constructor(message: string, fields: McpmxErrorFields & { limit: number; size: number }) {
    super(message, fields);
    this.name = 'MessageTooLargeError';
    this.limit = fields.limit;
    this.size = fields.size;
  }
}
