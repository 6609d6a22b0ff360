import { McpmxError, type ToolAnnotations, wasNeverSent } from '@mcpmx/core';

/** What the router knows about a call when deciding whether it may run it again. */
export interface RetryFacts {
  /** The tool's annotations, as the server declared them. */
  annotations?: ToolAnnotations;
  /** The user marked this tool idempotent in config. */
  configuredIdempotent?: boolean;
}

/**
 * True when the error proves the request never reached a server, so sending it elsewhere
 * cannot execute it twice: the connect failed, no session was available, the breaker refused,
 * or the session died before the request was written.
 */
export function neverReachedServer(error: unknown): boolean {
  if (!McpmxError.isInstance(error)) return false;
  switch (error.code) {
    case 'MCPMX_CONNECT_FAILED':
    case 'MCPMX_AUTH_FAILED':
    case 'MCPMX_ENDPOINT_NOT_FOUND':
    case 'MCPMX_ACQUIRE_TIMEOUT':
    case 'MCPMX_CIRCUIT_OPEN':
    case 'MCPMX_CONCURRENCY_LIMIT':
    case 'MCPMX_NO_HEALTHY_REPLICA':
      return true;
    case 'MCPMX_SESSION_CLOSED':
    case 'MCPMX_TRANSPORT_ERROR':
      return wasNeverSent(error);
    default:
      return false;
  }
}

/** True when running the call a second time is harmless. */
export function isRepeatable(facts: RetryFacts): boolean {
  return (
    facts.configuredIdempotent === true ||
    facts.annotations?.readOnlyHint === true ||
    facts.annotations?.idempotentHint === true
  );
}

/** Errors a retry cannot fix: the caller's own cancel, bad arguments, a closed client. */
export function isFinal(error: unknown): boolean {
  if (!McpmxError.isInstance(error)) return false;
  switch (error.code) {
    case 'MCPMX_CANCELLED':
    case 'MCPMX_INVALID_REQUEST':
    // The user's handler failed or the server kept asking: another attempt would ask again.
    case 'MCPMX_INTERACTION_FAILED':
    case 'MCPMX_POOL_CLOSED':
    case 'MCPMX_CLIENT_CLOSED':
    case 'MCPMX_NOT_STARTED':
    case 'MCPMX_UNKNOWN_TOOL':
    case 'MCPMX_UNKNOWN_PROMPT':
    case 'MCPMX_UNKNOWN_RESOURCE':
    case 'MCPMX_UNKNOWN_SERVER':
    case 'MCPMX_INVALID_OPTION':
    case 'MCPMX_INVALID_CONFIG':
      return true;
    case 'MCPMX_REMOTE_ERROR': {
      // Only JSON-RPC internal/server errors are worth another replica; a -32602 is the caller's.
      const rpcCode = (error as McpmxError & { rpcCode?: number }).rpcCode;
      return !(
        rpcCode === -32603 ||
        (rpcCode !== undefined && rpcCode <= -32000 && rpcCode >= -32099)
      );
    }
    default:
      return false;
  }
}

/** May this failed attempt be sent again (to this or another replica)? */
export function mayRetry(error: unknown, facts: RetryFacts): boolean {
  if (isFinal(error)) return false;
  return neverReachedServer(error) || isRepeatable(facts);
}
