import {
  SdkErrorCode,
  SdkHttpError,
  SSEClientTransport,
  SseError,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { sessionGone } from '../map-error.js';
import { StdioTransport } from './stdio-transport.js';
import { WebSocketTransport } from './websocket-transport.js';

/** What a transport can tell about its end: exit status and stderr, or the socket close. */
export function describeEnd(transport: unknown): string | undefined {
  if (transport instanceof StdioTransport) return transport.describe();
  if (transport instanceof WebSocketTransport) return transport.reason;
  return undefined;
}

/**
 * Whether each request travels on its own connection (the SDK's Streamable HTTP and SSE
 * transports: one fetch per request). A network error then fails that request only; on stdio
 * and WebSocket the connection is the session.
 */
export function sendsPerRequest(transport: unknown): boolean {
  return (
    transport instanceof StreamableHTTPClientTransport || transport instanceof SSEClientTransport
  );
}

/**
 * The reason, when an error the transport reports outside any request means the session is
 * gone: the SSE stream of a legacy HTTP+SSE session ended (the server drops the session with
 * it), or the server answered 404 for the session when the Streamable HTTP GET stream reopened
 * (only when it gave a session id: a session-less server has no session to lose).
 */
export function streamLost(transport: unknown, error: unknown): string | undefined {
  if (transport instanceof SSEClientTransport && error instanceof SseError) {
    const detail = error.message || (error.code === undefined ? '' : `HTTP ${error.code}`);
    return `the SSE stream closed${detail ? ` (${detail})` : ''}, and the server's session with it`;
  }
  if (
    transport instanceof StreamableHTTPClientTransport &&
    // Without a session id the server keeps no session to lose: a refused GET stream (404,
    // say) only means it offers none.
    transport.sessionId !== undefined &&
    error instanceof SdkHttpError &&
    error.code === SdkErrorCode.ClientHttpFailedToOpenStream
  ) {
    return sessionGone(error);
  }
  return undefined;
}
