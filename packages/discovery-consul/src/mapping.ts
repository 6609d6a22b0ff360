import {
  describeValue,
  type EndpointDescriptor,
  type SkippedRecord,
  type TransportConfig,
} from '@mcpmx/core';

/** Meta key choosing the transport: `streamable-http` (default), `sse` or `websocket`. */
export const META_TRANSPORT = 'mcp_transport';
/** Meta key giving the URL path. Default `/mcp`. */
export const META_PATH = 'mcp_path';
/** Meta key giving the URL scheme: `http` (default) or `https` (`ws`/`wss` for websocket). */
export const META_SCHEME = 'mcp_scheme';

const TRANSPORTS = new Set(['streamable-http', 'sse', 'websocket']);
/** Characters that would make an address more than a host: a path, userinfo, a query. */
const NOT_HOST = /[\s/?#@\\%]/;
const DEFAULT_PORTS: Record<string, number> = { http: 80, ws: 80, https: 443, wss: 443 };

export interface MapResult {
  endpoints: EndpointDescriptor[];
  skipped: SkippedRecord[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Maps the entries of a Consul `/v1/health/service/<name>` response to endpoints.
 * `Service.Address` falls back to `Node.Address`; `Weights.Passing` is the weight; `Tags` are
 * the tags; string `Meta` values are the metadata, and `mcp_transport`/`mcp_path`/`mcp_scheme`
 * choose the transport and URL. Entries that cannot be used are skipped with a reason.
 */
export function mapHealthEntries(
  body: readonly unknown[],
  options: { service: string; server: string; source: string },
): MapResult {
  const endpoints: EndpointDescriptor[] = [];
  const skipped: SkippedRecord[] = [];
  const seen = new Set<string>();
  for (const [position, entry] of body.entries()) {
    const service = isObject(entry) ? entry.Service : undefined;
    const node = isObject(entry) ? entry.Node : undefined;
    const rawId = isObject(service) ? service.ID : undefined;
    const nodeName = isObject(node) && typeof node.Node === 'string' ? node.Node : '';
    const record = `${options.service}/${typeof rawId === 'string' && rawId ? rawId : `#${position}`}${nodeName ? `@${nodeName}` : ''}`;
    const skip = (reason: string): void => {
      skipped.push({ record, reason });
    };
    if (!isObject(service)) {
      skip('entry has no Service object');
      continue;
    }
    if (typeof rawId !== 'string' || rawId === '') {
      skip('Service.ID is missing or empty');
      continue;
    }
    const port = service.Port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      skip(`Service.Port must be an integer in 1..65535 (got ${describeValue(port)})`);
      continue;
    }
    const serviceAddress = typeof service.Address === 'string' ? service.Address : '';
    const nodeAddress = isObject(node) && typeof node.Address === 'string' ? node.Address : '';
    const host = serviceAddress || nodeAddress;
    if (!host) {
      skip('neither Service.Address nor Node.Address is set');
      continue;
    }
    let weight = 1;
    if (service.Weights !== undefined && service.Weights !== null) {
      const passing = isObject(service.Weights) ? service.Weights.Passing : undefined;
      if (typeof passing !== 'number' || !Number.isFinite(passing) || passing <= 0) {
        skip(`Weights.Passing must be a number > 0 (got ${describeValue(passing)})`);
        continue;
      }
      weight = passing;
    }
    const tags = Array.isArray(service.Tags)
      ? service.Tags.filter((tag): tag is string => typeof tag === 'string')
      : [];
    const metadata: Record<string, string> = {};
    if (isObject(service.Meta)) {
      for (const [key, value] of Object.entries(service.Meta)) {
        if (typeof value === 'string') metadata[key] = value;
      }
    }
    const kind = metadata[META_TRANSPORT] ?? 'streamable-http';
    if (!TRANSPORTS.has(kind)) {
      skip(
        `Meta.${META_TRANSPORT} must be streamable-http, sse or websocket (got ${describeValue(kind)})`,
      );
      continue;
    }
    const secure = metadata[META_SCHEME] === 'https';
    if (metadata[META_SCHEME] !== undefined && !secure && metadata[META_SCHEME] !== 'http') {
      skip(
        `Meta.${META_SCHEME} must be http or https (got ${describeValue(metadata[META_SCHEME])})`,
      );
      continue;
    }
    const path = metadata[META_PATH] ?? '/mcp';
    const scheme = kind === 'websocket' ? (secure ? 'wss' : 'ws') : secure ? 'https' : 'http';
    const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    if (NOT_HOST.test(host)) {
      skip(`the address ${describeValue(host)} is not a host name or IP address`);
      continue;
    }
    let parsed: URL | undefined;
    try {
      parsed = new URL(
        `${scheme}://${hostPart}:${port}${path.startsWith('/') ? path : `/${path}`}`,
      );
    } catch {
      parsed = undefined;
    }
    // The URL must point at this host and port: an address like "a:1" must not move the port.
    const effectivePort = parsed?.port === '' ? DEFAULT_PORTS[scheme] : Number(parsed?.port);
    if (!parsed || parsed.hostname === '' || effectivePort !== port) {
      skip(
        `cannot build a URL from host ${describeValue(host)}, port ${port} and path ${describeValue(path)}`,
      );
      continue;
    }
    const url = parsed.href;
    const id = `${options.source}:${nodeName ? `${nodeName}/` : ''}${rawId}`;
    if (seen.has(id)) {
      skip('duplicate Service.ID on the same node');
      continue;
    }
    seen.add(id);
    const transport = { type: kind, url } as TransportConfig;
    endpoints.push({
      id,
      server: options.server,
      transport,
      tags,
      weight,
      metadata,
      source: options.source,
    });
  }
  return { endpoints, skipped };
}
