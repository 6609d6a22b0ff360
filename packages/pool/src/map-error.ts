import {
  CancelledError,
  McpmxError,
  ProtocolError,
  RemoteError,
  RequestTimeoutError,
  SessionClosedError,
} from '@mcpmx/core';
import {
  SdkError,
  SdkErrorCode,
  ProtocolError as SdkProtocolError,
} from '@modelcontextprotocol/client';

/** JSON-RPC "method not found". */
export const METHOD_NOT_FOUND = -32601;

export interface ErrorContext {
  server: string;
  replica: string;
  method: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Why the session ended, if it has: "process killed by SIGKILL", with stderr quoted. */
  closedBecause?: () => string | undefined;
}

/**
 * Turns what the SDK throws into mcpmx's typed errors, naming the server, replica and method.
 * A request whose session died is a SessionClosedError that may have reached the server; a
 * request that could not be sent is one that provably did not.
 */
export function mapRequestError(error: unknown, context: ErrorContext): McpmxError {
  if (McpmxError.isInstance(error)) return error;
  const where = `${context.method} on ${context.server} (${context.replica})`;
  const fields = { server: context.server, replica: context.replica, cause: error };
  if (context.signal?.aborted) {
    return new CancelledError(`${where} was cancelled by the caller`, fields);
  }
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.RequestTimeout:
        return new RequestTimeoutError(
          `${where} timed out after ${context.timeoutMs} ms; raise timeoutMs if the tool is slow`,
          { ...fields, timeoutMs: context.timeoutMs },
        );
      case SdkErrorCode.ConnectionClosed:
        return new SessionClosedError(
          `${where} failed: the session closed before the answer arrived (${context.closedBecause?.() ?? 'connection closed'})`,
          { ...fields, reachedServer: true },
        );
      case SdkErrorCode.MethodNotSupportedByProtocolVersion:
        // Same meaning as JSON-RPC "method not found": e.g. ping on a 2026-07-28 session.
        return new RemoteError(`${where} is not supported: ${error.message}`, {
          ...fields,
          rpcCode: METHOD_NOT_FOUND,
        });
      case SdkErrorCode.NotConnected:
      case SdkErrorCode.SendFailed:
        return new SessionClosedError(
          `${where} was not sent: the session is not connected (${context.closedBecause?.() ?? error.message})`,
          { ...fields, reachedServer: false },
        );
      default:
        return new ProtocolError(`${where} failed: ${error.message}`, fields);
    }
  }
  if (error instanceof SdkProtocolError) {
    return new RemoteError(`${where} failed on the server: ${error.message}`, {
      ...fields,
      rpcCode: error.code,
      data: error.data,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProtocolError(`${where} failed: ${message}`, fields);
}
