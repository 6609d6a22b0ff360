import { describeValue, type EndpointDescriptor, type TransportConfig } from '@mcpmx/core';

/**
 * The JSON value stored at each key under the prefix. Either `transport` or `url` is required;
 * `url` alone means Streamable HTTP.
 *
 * ```json
 * { "server": "files", "url": "http://10.0.0.5:8080/mcp", "tags": ["eu"], "weight": 2,
 *   "metadata": { "zone": "a" } }
 * ```
 */
export interface EtcdEndpointRecord {
  /** Logical server name. Optional when the discovery has a `server` option. */
  server?: string;
  transport?: TransportConfig;
  url?: string;
  tags?: string[];
  /** Relative weight, >= 0. Default 1. */
  weight?: number;
  metadata?: Record<string, string>;
}

const URL_TRANSPORTS = new Set(['streamable-http', 'sse', 'websocket']);

/** The URL schemes each transport can use. */
function protocolsOf(type: string): readonly string[] {
  return type === 'websocket' ? ['ws:', 'wss:'] : ['http:', 'https:'];
}

function urlProblem(field: string, type: string, url: unknown): string | undefined {
  const protocols = protocolsOf(type);
  if (typeof url === 'string' && URL.canParse(url) && protocols.includes(new URL(url).protocol)) {
    return undefined;
  }
  return `${field} must be an absolute URL, ${protocols.join(' or ')} for ${type} (got ${describeValue(url)})`;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string')
  );
}

function parseTransport(
  record: Record<string, unknown>,
  allowStdio: boolean,
): TransportConfig | string {
  if (record.transport !== undefined) {
    const transport = record.transport as Record<string, unknown>;
    if (typeof transport !== 'object' || transport === null || Array.isArray(transport)) {
      return 'transport must be an object';
    }
    if (transport.type === 'stdio') {
      if (!allowStdio) {
        return 'transport.type stdio is refused: a record in etcd would make clients run a command (set allowStdio to accept it)';
      }
      if (typeof transport.command !== 'string' || transport.command.trim().length === 0) {
        return 'transport.command must be a non-empty string for stdio';
      }
      if (transport.args !== undefined && !isStringArray(transport.args)) {
        return 'transport.args must be an array of strings';
      }
      if (transport.env !== undefined && !isStringRecord(transport.env)) {
        return 'transport.env must be an object of strings';
      }
      if (transport.cwd !== undefined && typeof transport.cwd !== 'string') {
        return `transport.cwd must be a string (got ${describeValue(transport.cwd)})`;
      }
      // Only the known fields, copied: nothing else from the record rides along.
      return {
        type: 'stdio',
        command: transport.command,
        ...(transport.args !== undefined ? { args: [...(transport.args as string[])] } : {}),
        ...(transport.env !== undefined
          ? { env: { ...(transport.env as Record<string, string>) } }
          : {}),
        ...(transport.cwd !== undefined ? { cwd: transport.cwd as string } : {}),
      };
    }
    if (typeof transport.type !== 'string' || !URL_TRANSPORTS.has(transport.type)) {
      return `transport.type must be stdio, streamable-http, sse or websocket (got ${describeValue(transport.type)})`;
    }
    const problem = urlProblem('transport.url', transport.type, transport.url);
    if (problem) return problem;
    if (transport.headers !== undefined && !isStringRecord(transport.headers)) {
      return 'transport.headers must be an object of strings';
    }
    return {
      type: transport.type,
      url: transport.url as string,
      ...(transport.headers !== undefined
        ? { headers: { ...(transport.headers as Record<string, string>) } }
        : {}),
    } as TransportConfig;
  }
  if (record.url === undefined) return 'either transport or url is required';
  return (
    urlProblem('url', 'streamable-http', record.url) ?? {
      type: 'streamable-http',
      url: record.url as string,
    }
  );
}

/**
 * Parses and validates the JSON value at `key`. Returns the endpoint, or a reason naming what
 * is wrong. `id` and `source` are filled in by the caller's naming scheme. A `stdio` transport
 * is refused unless `allowStdio`: whoever can write the key would choose what clients run.
 */
export function parseEndpointRecord(
  text: string,
  context: { id: string; source: string; server: string | undefined; allowStdio?: boolean },
): EndpointDescriptor | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `value is not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'value must be a JSON object';
  }
  const record = value as Record<string, unknown>;
  const server = record.server ?? context.server;
  if (typeof server !== 'string' || server.length === 0) {
    return 'server must be a non-empty string (or pass the server option)';
  }
  const transport = parseTransport(record, context.allowStdio ?? false);
  if (typeof transport === 'string') return transport;
  if (record.tags !== undefined && !isStringArray(record.tags)) {
    return 'tags must be an array of strings';
  }
  if (
    record.weight !== undefined &&
    (typeof record.weight !== 'number' || !Number.isFinite(record.weight) || record.weight < 0)
  ) {
    return `weight must be a number >= 0 (got ${describeValue(record.weight)})`;
  }
  if (record.metadata !== undefined && !isStringRecord(record.metadata)) {
    return 'metadata must be an object of strings';
  }
  return {
    id: context.id,
    server,
    transport,
    tags: [...((record.tags as string[] | undefined) ?? [])],
    weight: (record.weight as number | undefined) ?? 1,
    metadata: { ...((record.metadata as Record<string, string> | undefined) ?? {}) },
    source: context.source,
  };
}
