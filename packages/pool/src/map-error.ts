import {
  CancelledError,
  McpmxError,
  MessageTooLargeError,
  ProtocolError,
  type ReachedServer,
  RemoteError,
  RequestTimeoutError,
  redactUrls,
  SessionClosedError,
  TransportError,
} from '@mcpmx/core';
import {
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  ProtocolError as SdkProtocolError,
} from '@modelcontextprotocol/client';
import { oversizeOf } from './transports/bounded-fetch.js';
import { unansweredReason } from './transports/reply-guard.js';

/** JSON-RPC "method not found". */
export const METHOD_NOT_FOUND = -32601;

export interface ErrorContext {
  server: string;
  replica: string;
  method: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * True when each request travels on its own connection (Streamable HTTP and SSE, one fetch
   * per request): a network error then fails that request only, as a TransportError, and the
   * session lives on. Otherwise (stdio, WebSocket) the connection is the session.
   */
  perRequest: boolean;
  /** Why the session ended, if it has: "process killed by SIGKILL", with stderr quoted. */
  closedBecause?: () => string | undefined;
}

/**
 * Turns what the SDK throws into mcpmx's typed errors, naming the server, replica and method,
 * and says whether the request reached the server: `false` only with proof that it never left
 * (the connection could not be opened, the session was not connected, the server refused the
 * session id), `'unknown'` whenever it may have been written. The SDK's text is quoted with
 * URL credentials and queries dropped ("a URL that includes credentials: http://user:pass@…").
 */
export function mapRequestError(error: unknown, context: ErrorContext): McpmxError {
  const where = `${context.method} on ${context.server} (${context.replica})`;
  const fields = { server: context.server, replica: context.replica, cause: error };
  // A message over maxMessageBytes, as the bounded fetch reports it: named where it happened.
  const oversize =
    oversizeOf(error) ?? (MessageTooLargeError.isInstance(error) ? error : undefined);
  if (oversize !== undefined && oversize.server === undefined) {
    return new MessageTooLargeError(
      `${where} failed: ${oversize.message}; only this request failed. Raise maxMessageBytes if the server's answers are meant to be this large`,
      { ...fields, limit: oversize.limit, size: oversize.size },
    );
  }
  if (McpmxError.isInstance(error)) return error;
  const sdkMessage = () => redactUrls(error instanceof Error ? error.message : String(error));
  const unanswered = unansweredReason(error);
  if (unanswered) return new ProtocolError(`${where} failed: ${unanswered}`, fields);
  if (context.signal?.aborted) {
    return new CancelledError(`${where} was cancelled by the caller`, fields);
  }
  const gone = sessionGone(error);
  if (gone) {
    // The server answered that it has no such session: it did not run the request.
    return new SessionClosedError(`${where} was refused: ${gone}; the session will be replaced`, {
      ...fields,
      reachedServer: false,
    });
  }
  const network = networkFailure(error);
  if (network) {
    const reachedServer: ReachedServer = network.neverSent ? false : 'unknown';
    const sent = network.neverSent
      ? 'it was not sent'
      : 'it may have reached the server, so it is not safe to repeat unless idempotent';
    if (context.perRequest) {
      return new TransportError(
        `${where} failed in transit: ${network.reason}; ${sent}. Only this request failed; the session stays open`,
        { ...fields, reachedServer },
      );
    }
    return new SessionClosedError(
      `${where} failed: ${network.reason}; ${sent}. The session will be replaced`,
      { ...fields, reachedServer },
    );
  }
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.RequestTimeout:
        return new RequestTimeoutError(
          `${where} timed out after ${context.timeoutMs} ms; raise timeoutMs if the tool is slow`,
          { ...fields, timeoutMs: context.timeoutMs },
        );
      case SdkErrorCode.ConnectionClosed:
        // Written to a connection that then died: it may or may not have run.
        return new SessionClosedError(
          `${where} failed: the session closed before the answer arrived (${context.closedBecause?.() ?? 'connection closed'}); it may have run on the server`,
          { ...fields, reachedServer: 'unknown' },
        );
      case SdkErrorCode.CapabilityNotSupported:
      case SdkErrorCode.MethodNotSupportedByProtocolVersion:
        // Same meaning as JSON-RPC "method not found": e.g. ping on a 2026-07-28 session.
        return new RemoteError(`${where} is not supported: ${sdkMessage()}`, {
          ...fields,
          rpcCode: METHOD_NOT_FOUND,
        });
      case SdkErrorCode.NotConnected:
      case SdkErrorCode.SendFailed:
        return notConnected(where, fields, context, sdkMessage());
      default:
        return new ProtocolError(`${where} failed: ${sdkMessage()}`, fields);
    }
  }
  if (error instanceof SdkProtocolError) {
    return new RemoteError(`${where} failed on the server: ${sdkMessage()}`, {
      ...fields,
      rpcCode: error.code,
      data: error.data,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  // The SDK's own request path rejects with a bare Error once its transport is gone.
  if (message === 'Not connected') return notConnected(where, fields, context, message);
  return new ProtocolError(`${where} failed: ${sdkMessage()}`, fields);
}

function notConnected(
  where: string,
  fields: { server: string; replica: string; cause: unknown },
  context: ErrorContext,
  detail: string,
): SessionClosedError {
  return new SessionClosedError(
    `${where} was not sent: the session is not connected (${context.closedBecause?.() ?? detail})`,
    { ...fields, reachedServer: false },
  );
}

/**
 * Network error codes that mean the connection for the request could not be opened, so no byte
 * of the request was written: DNS failures, refused or unreachable hosts, undici's connect
 * timeout, and TLS handshake failures (before any HTTP byte).
 */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Network error codes of a connection that broke after the request may have been written: a
 * reset or closed socket, a write to a closed pipe, a timeout waiting for headers or body.
 */
const MAYBE_SENT = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/**
 * Says whether an error is a network failure of the request's connection, and whether that
 * proves the request was never sent. Node's fetch rejects with `TypeError: fetch failed` (or
 * `terminated` when a body breaks) and the reason in `cause`, sometimes in an AggregateError.
 */
export function networkFailure(error: unknown): { reason: string; neverSent: boolean } | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = networkCode(error);
  if (code) {
    return { reason: `connection failed (${code})`, neverSent: NEVER_SENT.has(code) };
  }
  if (error.message === 'fetch failed' || error.message === 'terminated') {
    return { reason: `connection failed (${error.message})`, neverSent: false };
  }
  return undefined;
}

/**
 * The reason, when the server no longer knows the session: HTTP 404 (the spec's answer to an
 * unknown `Mcp-Session-Id`), or a 400 about the session id, after a restart or redeploy. The
 * SSE transport reports it as a bare Error "Error POSTing to endpoint (HTTP 404): ...".
 */
export function sessionGone(error: unknown): string | undefined {
  if (error instanceof SdkHttpError) {
    const aboutSession = /session/i.test(error.message);
    if (error.status === 404 || (error.status === 400 && aboutSession)) {
      return `the server no longer knows the session (HTTP ${error.status})`;
    }
    return undefined;
  }
  if (!(error instanceof Error)) return undefined;
  if (error instanceof SdkError) {
    return /session/i.test(error.message) && /(400|404)/.test(error.message)
      ? `the server no longer knows the session (${redactUrls(error.message)})`
      : undefined;
  }
  const posting = /^Error POSTing to endpoint \(HTTP (\d{3})\)/.exec(error.message);
  if (
    posting &&
    (posting[1] === '404' || (posting[1] === '400' && /session/i.test(error.message)))
  ) {
    return `the server no longer knows the session (HTTP ${posting[1]})`;
  }
  return undefined;
}

function networkCode(error: Error): string | undefined {
  const known = (code: unknown): code is string =>
    typeof code === 'string' && (NEVER_SENT.has(code) || MAYBE_SENT.has(code));
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as NodeJS.ErrnoException).code;
    if (known(code)) return code;
    const nested = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(nested)) {
      for (const inner of nested) {
        const innerCode = (inner as NodeJS.ErrnoException).code;
        if (known(innerCode)) return innerCode;
      }
    }
  }
  return undefined;
}
