import type { TransportConfig } from '@mcpmx/core';
import { InvalidOptionError } from '@mcpmx/core';
import type { UpstreamAuth } from '@mcpmx/oauth';
import type {
  AuthProvider,
  FetchLike,
  OAuthClientProvider,
  Transport,
} from '@modelcontextprotocol/client';
import { SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { FetchFailure } from '../connect-failure.js';
import { createBoundedFetch, type RequestId } from './bounded-fetch.js';
import { DEFAULT_MAX_MESSAGE_BYTES, StdioTransport } from './stdio-transport.js';
import { WebSocketTransport } from './websocket-transport.js';

export interface TransportOptions {
  /** The SDK's auth provider, for Streamable HTTP and SSE endpoints. */
  authProvider?: AuthProvider | OAuthClientProvider;
  /** Shared upstream auth, for Streamable HTTP and SSE endpoints (see SessionPoolOptions.auth). */
  auth?: UpstreamAuth;
  /** Told when a renewal after a 401 starts (true) and ends (false): a login may take minutes. */
  onAuthorizing?: (running: boolean) => void;
  /** Characters of a stdio child's stderr kept for error messages. Default 8192. */
  stderrLimit?: number;
  /** The largest message accepted from the server, on every transport, in bytes. Default 32 MiB. */
  maxMessageBytes?: number;
  /** Told which Streamable HTTP requests were answered with a plain body (see createBoundedFetch). */
  onPlainAnswer?: (id: RequestId) => void;
  /** Told how each HTTP request ended (see createBoundedFetch), to describe a failed handshake. */
  onFetchOutcome?: (failure: FetchFailure | undefined) => void;
  /** Told of server requests sent on a POST's stream (see createBoundedFetch). */
  onStreamRequest?: (serverRequestId: RequestId, postRequestId: RequestId) => void;
}

/** Builds the SDK transport for one endpoint. Each session gets its own. */
export function createTransport(
  config: TransportConfig,
  options: TransportOptions = {},
): Transport {
  switch (config.type) {
    case 'stdio':
      return new StdioTransport(config, {
        stderrLimit: options.stderrLimit,
        maxMessageBytes: options.maxMessageBytes,
      });
    case 'streamable-http': {
      const url = parseUrl(config.url, ['http:', 'https:']);
      return new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { ...config.headers } },
        ...httpAuth(
          url,
          options,
          createBoundedFetch({
            maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
            onPlainAnswer: options.onPlainAnswer,
            onOutcome: options.onFetchOutcome,
            onStreamRequest: options.onStreamRequest,
          }),
        ),
      });
    }
    case 'sse': {
      const url = parseUrl(config.url, ['http:', 'https:']);
      return new SSEClientTransport(url, {
        requestInit: { headers: { ...config.headers } },
        ...httpAuth(
          url,
          options,
          createBoundedFetch({
            maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
            onOutcome: options.onFetchOutcome,
          }),
        ),
      });
    }
    case 'websocket':
      parseUrl(config.url, ['ws:', 'wss:']);
      return new WebSocketTransport(config, { maxMessageBytes: options.maxMessageBytes });
    default: {
      const unknown: { type?: unknown } = config;
      throw new InvalidOptionError(
        'transport.type',
        '"stdio", "streamable-http", "sse" or "websocket"',
        unknown.type,
      );
    }
  }
}

/**
 * An HTTP transport's auth provider and fetch: the shared auth's for this URL (its fetch wraps
 * the bounded one, and a renewal is reported to `onAuthorizing`), else the SDK provider given.
 */
function httpAuth(
  url: URL,
  options: TransportOptions,
  fetch: FetchLike,
): { authProvider?: AuthProvider | OAuthClientProvider; fetch: FetchLike } {
  if (!options.auth) return { authProvider: options.authProvider, fetch };
  const endpoint = options.auth.forEndpoint(url);
  const { onAuthorizing } = options;
  const provider = endpoint.authProvider;
  const authProvider: AuthProvider = {
    token: () => provider.token(),
    ...(provider.onUnauthorized
      ? {
          onUnauthorized: async (context) => {
            onAuthorizing?.(true);
            try {
              await provider.onUnauthorized?.(context);
            } finally {
              onAuthorizing?.(false);
            }
          },
        }
      : {}),
  };
  return { authProvider, fetch: endpoint.wrapFetch(fetch) };
}

function parseUrl(url: string, protocols: readonly string[]): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionError('transport.url', 'an absolute URL', url);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new InvalidOptionError('transport.url', `a ${protocols.join(' or ')} URL`, url);
  }
  return parsed;
}
