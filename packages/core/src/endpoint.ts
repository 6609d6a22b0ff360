/** How to reach one MCP server process or URL. One shape for every transport. */
export type TransportConfig =
  | StdioTransportConfig
  | StreamableHttpTransportConfig
  | SseTransportConfig
  | WebSocketTransportConfig;

export type TransportKind = TransportConfig['type'];

export interface StdioTransportConfig {
  type: 'stdio';
  command: string;
  args?: readonly string[];
  /** Extra environment. The child gets only a minimal safe set plus these. */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
}

export interface StreamableHttpTransportConfig {
  type: 'streamable-http';
  url: string;
  headers?: Readonly<Record<string, string>>;
}

export interface SseTransportConfig {
  type: 'sse';
  url: string;
  headers?: Readonly<Record<string, string>>;
}

export interface WebSocketTransportConfig {
  type: 'websocket';
  url: string;
  headers?: Readonly<Record<string, string>>;
}

/**
 * One replica of a logical server. Replicas of the same `server` serve the same catalog.
 * `id` is unique across the registry and stable across discovery updates.
 */
export interface EndpointDescriptor {
  id: string;
  /** Logical server name, e.g. "files". */
  server: string;
  transport: TransportConfig;
  tags?: readonly string[];
  /** Relative weight for weighted balancing. Default 1. */
  weight?: number;
  metadata?: Readonly<Record<string, string>>;
  /** Id of the discovery source that owns this entry. */
  source?: string;
}

/** A short, secret-free label for an endpoint's transport, for logs and status pages. */
export function describeTransport(transport: TransportConfig): string {
  if (transport.type === 'stdio') return `stdio:${transport.command}`;
  try {
    const url = new URL(transport.url);
    return `${transport.type}:${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return `${transport.type}:(invalid url)`;
  }
}
