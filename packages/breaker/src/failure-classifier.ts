import type { FailureClassifier, McpmxErrorCode } from '@mcpmx/core';
import { McpmxError } from '@mcpmx/core';

/** JSON-RPC codes that blame the request, not the server. */
const CALLER_ERRORS = new Set([
  -32700, // parse error (ours)
  -32600, // invalid request
  -32601, // method not found
  -32602, // invalid params
  -32002, // resource not found
]);

/**
 * Whether an mcpmx error with this code counts against the replica. Every code has a line, so
 * a new code cannot be added without deciding here (the type checker insists). The two codes
 * that need more than the code are decided in the classifier itself.
 */
const COUNTS: Record<
  Exclude<McpmxErrorCode, 'MCPMX_REMOTE_ERROR' | 'MCPMX_TARGET_FAILED'>,
  boolean
> = {
  // The replica or the way to it failed.
  MCPMX_CONNECT_FAILED: true,
  // A 404 at the URL: this replica is misconfigured, so traffic should go to the others.
  MCPMX_ENDPOINT_NOT_FOUND: true,
  MCPMX_TRANSPORT_ERROR: true,
  MCPMX_SESSION_CLOSED: true,
  MCPMX_ACQUIRE_TIMEOUT: true,
  MCPMX_TIMEOUT: true,
  MCPMX_TARGET_TIMEOUT: true,
  MCPMX_PROTOCOL_ERROR: true,
  // An answer over maxMessageBytes: the replica works, and one caller asking for that much must
  // not take it out of service for everyone.
  MCPMX_MESSAGE_TOO_LARGE: false,
  // HTTP 401/403: the credentials are refused, not the server sick. An open breaker would hide
  // the refusal (callers would read "circuit open" instead of what to fix), and the pool already
  // refuses calls at once and retries slowly while the credentials are refused.
  MCPMX_AUTH_FAILED: false,
  // A login is needed (no usable token, no handler to get one): the user's to fix, not the server.
  MCPMX_AUTH_REQUIRED: false,
  // The local token store could not be read or written: nothing the server did.
  MCPMX_TOKEN_STORE_FAILED: false,
  // The caller's own request or use: never the server's fault.
  MCPMX_INVALID_REQUEST: false,
  // The client's own handler failed to give what the server asked for: not the server's fault.
  MCPMX_INTERACTION_FAILED: false,
  MCPMX_INVALID_CACHE_KEY: false,
  MCPMX_INVALID_OPTION: false,
  MCPMX_INVALID_CONFIG: false,
  MCPMX_CANCELLED: false,
  MCPMX_NOT_STARTED: false,
  // start() gave up waiting for a server; no request was sent to it.
  MCPMX_START_TIMEOUT: false,
  MCPMX_CLIENT_CLOSED: false,
  MCPMX_POOL_CLOSED: false,
  MCPMX_NO_TIMER_SCHEDULED: false,
  // Routing refusals and catalog misses: the call never reached this replica.
  MCPMX_CIRCUIT_OPEN: false,
  MCPMX_CONCURRENCY_LIMIT: false,
  MCPMX_NO_HEALTHY_REPLICA: false,
  MCPMX_UNKNOWN_TOOL: false,
  MCPMX_UNKNOWN_PROMPT: false,
  MCPMX_UNKNOWN_RESOURCE: false,
  MCPMX_UNKNOWN_SERVER: false,
  MCPMX_NAME_CONFLICT: false,
  MCPMX_DISCOVERY_FAILED: false,
  // About several targets at once, so about no one replica.
  MCPMX_FAN_OUT_FAILED: false,
};

/**
 * The default answer to "is this replica sick?":
 * - counts: transport errors, sessions that died, timeouts, connect and acquire failures,
 *   protocol garbage, JSON-RPC internal/server errors (the 5xx of JSON-RPC), and errors that
 *   are not mcpmx errors;
 * - does not count: invalid params, method or resource not found, requests that cannot be sent
 *   as they are, the caller's own cancellation, use of a closed or unstarted client, routing
 *   refusals, catalog misses, and tool results with `isError: true` (a tool that says "file not
 *   found" is not a sick server);
 * - a fan-out target's failure is judged by the error of that target.
 * Replace it with your own through the client's `isFailure` option.
 */
export const defaultFailureClassifier: FailureClassifier = (error) => {
  let current = error;
  // A fan-out target's failure is judged by that target's own error (a bounded unwrap, so a
  // cause chain that loops cannot hang the classifier).
  for (let depth = 0; depth < 8 && McpmxError.hasCode(current, 'MCPMX_TARGET_FAILED'); depth++) {
    if (current.cause === undefined) return true;
    current = current.cause;
  }
  return counts(current);
};

function counts(error: unknown): boolean {
  if (error === undefined || error === null) return false;
  if (typeof error === 'object' && (error as { isError?: unknown }).isError === true) return false;
  if (!McpmxError.isInstance(error)) return true;
  if (error.code === 'MCPMX_REMOTE_ERROR') {
    const rpcCode = (error as McpmxError & { rpcCode?: number }).rpcCode;
    return rpcCode === undefined || !CALLER_ERRORS.has(rpcCode);
  }
  // A code this copy does not know (from a newer copy of core) counts, as any unknown error does.
  return (COUNTS as Record<string, boolean | undefined>)[error.code] ?? true;
}
