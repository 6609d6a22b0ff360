import type { TransportConfig } from '@mcpmx/core';
import { InvalidOptionError } from '@mcpmx/core';
import type { AuthProvider, OAuthClientProvider, Transport } from '@modelcontextprotocol/client';
import { SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { FetchFailure } from '../connect-failure.js';
import { createBoundedFetch, type RequestId } from './bounded-fetch.js';
import { DEFAULT_MAX_MESSAGE_BYTES, StdioTransport } from './stdio-transport.js';
import { WebSocketTransport } from './websocket-transport.js';

export interface TransportOptions {
  /** The SDK's auth provider, for Streamable HTTP and SSE endpoints. */
  authProvider?: AuthProvider | OAuthClientProvider;
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
    case 'streamable-http':
      return new StreamableHTTPClientTransport(parseUrl(config.url, ['http:', 'https:']), {
        requestInit: { headers: { ...config.headers } },
        authProvider: options.authProvider,
        fetch: createBoundedFetch({
          maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
          onPlainAnswer: options.onPlainAnswer,
          onOutcome: options.onFetchOutcome,
          onStreamRequest: options.onStreamRequest,
        }),
      });
    case 'sse':
      return new SSEClientTransport(parseUrl(config.url, ['http:', 'https:']), {
        requestInit: { headers: { ...config.headers } },
        authProvider: options.authProvider,
        fetch: createBoundedFetch({
          maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
          onOutcome: options.onFetchOutcome,
        }),
      });
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
