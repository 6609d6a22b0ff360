import type { FailureClassifier } from '@mcpmx/core';
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
 * The default answer to "is this replica sick?":
 * - counts: transport errors, sessions that died, timeouts, connect and acquire failures,
 *   protocol garbage, and JSON-RPC internal/server errors (the 5xx of JSON-RPC);
 * - does not count: invalid params, method or resource not found, the caller's own
 *   cancellation, routing refusals, and tool results with `isError: true` (a tool that says
 *   "file not found" is not a sick server).
 * Replace it with your own through the client's `isFailure` option.
 */
export const defaultFailureClassifier: FailureClassifier = (error) => {
  if (error === undefined || error === null) return false;
  if (typeof error === 'object' && (error as { isError?: unknown }).isError === true) return false;
  if (!McpmxError.isInstance(error)) return true;
  switch (error.code) {
    case 'MCPMX_REMOTE_ERROR': {
      const rpcCode = (error as McpmxError & { rpcCode?: number }).rpcCode;
      return rpcCode === undefined || !CALLER_ERRORS.has(rpcCode);
    }
    case 'MCPMX_CANCELLED':
    case 'MCPMX_CIRCUIT_OPEN':
    case 'MCPMX_UNKNOWN_TOOL':
    case 'MCPMX_UNKNOWN_SERVER':
    case 'MCPMX_INVALID_OPTION':
    case 'MCPMX_INVALID_CONFIG':
    case 'MCPMX_NAME_CONFLICT':
    case 'MCPMX_POOL_CLOSED':
    case 'MCPMX_NO_HEALTHY_REPLICA':
      return false;
    default:
      return true;
  }
};
