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
  SdkHttpError,
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
  const lost = connectionLost(error);
  if (lost) {
    return new SessionClosedError(`${where} failed: ${lost.reason}; the session will be replaced`, {
      ...fields,
      reachedServer: !lost.undelivered,
    });
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
      case SdkErrorCode.CapabilityNotSupported:
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

/** Network errors that mean the request never left this process or was refused at once. */
const UNDELIVERED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const CONNECTION = new Set([...UNDELIVERED, 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT']);

/**
 * Says whether an error means the session's connection is gone, so the session must be
 * replaced: the HTTP server is unreachable, or it no longer knows the session (HTTP 404, or
 * a 400 about the session id, after a restart). `undelivered` is true when the request
 * provably did not run.
 */
export function connectionLost(
  error: unknown,
): { reason: string; undelivered: boolean } | undefined {
  if (error instanceof SdkHttpError) {
    const aboutSession = /session/i.test(error.message);
    if (error.status === 404 || (error.status === 400 && aboutSession)) {
      return {
        reason: `the server no longer knows the session (HTTP ${error.status})`,
        undelivered: true,
      };
    }
    return undefined;
  }
  if (error instanceof SdkError) {
    return /session/i.test(error.message) && /(400|404)/.test(error.message)
      ? { reason: `the server no longer knows the session (${error.message})`, undelivered: true }
      : undefined;
  }
  if (!(error instanceof Error)) return undefined;
  const code = networkCode(error);
  if (code && CONNECTION.has(code)) {
    return { reason: `connection failed (${code})`, undelivered: UNDELIVERED.has(code) };
  }
  if (error.message === 'fetch failed') return { reason: 'connection failed', undelivered: false };
  return undefined;
}

function networkCode(error: Error): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && CONNECTION.has(code)) return code;
    const nested = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(nested)) {
      for (const inner of nested) {
        const innerCode = (inner as NodeJS.ErrnoException).code;
        if (typeof innerCode === 'string' && CONNECTION.has(innerCode)) return innerCode;
      }
    }
  }
  return undefined;
}
