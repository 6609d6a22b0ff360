import { promises as dns } from 'node:dns';
import {
  type Clock,
  checkNumber,
  createDiscoverySource,
  createOneShotTimer,
  type Discovery,
  DiscoveryError,
  type DiscoveryResult,
  type EndpointDescriptor,
  InvalidOptionError,
  type Random,
  type SkippedRecord,
  schemeFor,
  systemClock,
  systemRandom,
  type TransportKind,
  URL_TRANSPORT_KINDS,
} from '@mcpmx/core';
import { orderSrvRecords, type SrvRecord } from './srv-order.js';
import { parseTxtMetadata, type TxtMetadata } from './txt-metadata.js';

/** Options for {@link createDnsDiscovery}. Defaults are in {@link DNS_DISCOVERY_DEFAULTS}. */
export interface DnsDiscoveryOptions {
  /** The SRV name to look up, e.g. `_mcp._tcp.files.example`. */
  name: string;
  /** The logical server name the endpoints belong to, e.g. `files`. */
  server: string;
  /** DNS servers to ask, as `host:port` (or `[v6]:port`). Default: the system resolver. */
  resolver?: string | readonly string[];
  /** How often to look the name up again (Node's resolveSrv gives no TTL). Default 30 000. */
  refreshMs?: number;
  /** Lower bound for the refresh interval. Default 1 000. */
  minRefreshMs?: number;
  /** Upper bound for the refresh interval. Default 300 000. */
  maxRefreshMs?: number;
  /** Per-query timeout handed to the resolver. Default 2 000. */
  lookupTimeoutMs?: number;
  /** Transport when TXT says nothing: one of core's URL transport kinds. Default `streamable-http`. */
  transport?: Exclude<TransportKind, 'stdio'>;
  /** URL path when TXT says nothing. Default `/mcp`. */
  path?: string;
  /** URL scheme when TXT says nothing. Default `http` (`ws` for websocket). */
  scheme?: 'http' | 'https';
  /** Resolve SRV targets to IPv4 addresses through the same resolver. Default true. */
  resolveAddresses?: boolean;
  /** Discovery id. Default `dns:<name>`. */
  id?: string;
  clock?: Clock;
  random?: Random;
}

/** The defaults of {@link DnsDiscoveryOptions}, in one place. */
export const DNS_DISCOVERY_DEFAULTS = {
  refreshMs: 30_000,
  minRefreshMs: 1_000,
  maxRefreshMs: 300_000,
  lookupTimeoutMs: 2_000,
  transport: 'streamable-http',
  path: '/mcp',
  scheme: 'http',
  resolveAddresses: true,
} as const;

/** The interval actually used: `refreshMs` clamped into `[minRefreshMs, maxRefreshMs]`. */
export function effectiveRefreshMs(options: {
  refreshMs: number;
  minRefreshMs: number;
  maxRefreshMs: number;
}): number {
  return Math.min(options.maxRefreshMs, Math.max(options.minRefreshMs, options.refreshMs));
}

/** What an SRV target may be to become the host of a URL. */
const HOST_NAME = /^[A-Za-z0-9_.-]+$/;

const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null
    ? ((error as { code?: unknown }).code as string | undefined)
    : undefined;
}

/**
 * Discovers replicas of one logical MCP server from DNS SRV records, ordered per RFC 2782,
 * with metadata from TXT records at each SRV target name (falling back to TXT at the service
 * name). Looks the name up again every `refreshMs` (bounded by min/max); a failed lookup emits
 * 'error' and keeps the last good set. `stop()` clears the timer and cancels the resolver.
 */
export function createDnsDiscovery(options: DnsDiscoveryOptions): Discovery {
  if (typeof options?.name !== 'string' || options.name.length === 0) {
    throw new InvalidOptionError('name', 'a non-empty SRV name', options?.name);
  }
  if (typeof options.server !== 'string' || options.server.length === 0) {
    throw new InvalidOptionError('server', 'a non-empty logical server name', options.server);
  }
  const minRefreshMs = checkNumber(
    'minRefreshMs',
    options.minRefreshMs ?? DNS_DISCOVERY_DEFAULTS.minRefreshMs,
    { min: 1 },
  );
  const maxRefreshMs = checkNumber(
    'maxRefreshMs',
    options.maxRefreshMs ?? DNS_DISCOVERY_DEFAULTS.maxRefreshMs,
    { min: minRefreshMs },
  );
  const refreshMs = effectiveRefreshMs({
    refreshMs: checkNumber('refreshMs', options.refreshMs ?? DNS_DISCOVERY_DEFAULTS.refreshMs, {
      min: 1,
    }),
    minRefreshMs,
    maxRefreshMs,
  });
  const lookupTimeoutMs = checkNumber(
    'lookupTimeoutMs',
    options.lookupTimeoutMs ?? DNS_DISCOVERY_DEFAULTS.lookupTimeoutMs,
    { min: 1, integer: true },
  );
  const defaultTransport = options.transport ?? DNS_DISCOVERY_DEFAULTS.transport;
  if (!URL_TRANSPORT_KINDS.includes(defaultTransport)) {
    throw new InvalidOptionError(
      'transport',
      `one of ${URL_TRANSPORT_KINDS.join(', ')}`,
      defaultTransport,
    );
  }
  const defaultPath = options.path ?? DNS_DISCOVERY_DEFAULTS.path;
  if (!defaultPath.startsWith('/')) {
    throw new InvalidOptionError('path', 'a path starting with "/"', defaultPath);
  }
  const defaultScheme = options.scheme ?? DNS_DISCOVERY_DEFAULTS.scheme;
  if (defaultScheme !== 'http' && defaultScheme !== 'https') {
    throw new InvalidOptionError('scheme', 'http or https', defaultScheme);
  }
  const resolveAddresses = options.resolveAddresses ?? DNS_DISCOVERY_DEFAULTS.resolveAddresses;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const id = options.id ?? `dns:${options.name}`;

  const resolver = new dns.Resolver({ timeout: lookupTimeoutMs, tries: 1 });
  if (options.resolver !== undefined) {
    const servers =
      typeof options.resolver === 'string' ? [options.resolver] : [...options.resolver];
    try {
      resolver.setServers(servers);
    } catch {
      throw new InvalidOptionError('resolver', 'host:port addresses', servers.join(' '));
    }
  }

  async function lookupTxt(name: string): Promise<string[][]> {
    try {
      return await resolver.resolveTxt(name);
    } catch (error) {
      if (NO_RECORDS.has(errorCode(error) ?? '')) return [];
      throw error;
    }
  }

  async function lookupAddress(name: string): Promise<string> {
    if (!resolveAddresses) return name;
    try {
      const [address] = await resolver.resolve4(name);
      return address ?? name;
    } catch (error) {
      if (NO_RECORDS.has(errorCode(error) ?? '')) return name;
      throw error;
    }
  }

  /** One lookup: the SRV set, each target's TXT and address; one complete set. */
  async function lookup(): Promise<DiscoveryResult> {
    let records: SrvRecord[];
    try {
      records = await resolver.resolveSrv(options.name);
    } catch (error) {
      if (NO_RECORDS.has(errorCode(error) ?? '')) return { endpoints: [], skipped: [] };
      throw error;
    }
    const serviceTxt = await lookupTxt(options.name);
    const serviceMetadata = parseTxtMetadata(serviceTxt);
    const skipped: SkippedRecord[] = [];
    if (typeof serviceMetadata === 'string') {
      skipped.push({ record: `TXT ${options.name}`, reason: serviceMetadata });
    }
    const ordered = orderSrvRecords(records, random);
    const resolved = await Promise.all(
      ordered.map(async (record) => {
        const where = `SRV ${options.name} -> ${record.name}:${record.port}`;
        if (!record.name || record.name === '.') {
          return {
            skip: { record: where, reason: 'SRV target "." means the service is not offered here' },
          };
        }
        if (!HOST_NAME.test(record.name)) {
          // c-ares escapes odd bytes ("\\@", "\\032"); such a name cannot go into a URL.
          return {
            skip: {
              record: where,
              reason: 'SRV target is not a host name (letters, digits, "-", "_", ".")',
            },
          };
        }
        if (!Number.isInteger(record.port) || record.port < 1 || record.port > 65535) {
          return { skip: { record: where, reason: `SRV port ${record.port} is not in 1..65535` } };
        }
        const [txt, address] = await Promise.all([
          lookupTxt(record.name),
          lookupAddress(record.name),
        ]);
        const parsed = parseTxtMetadata(txt);
        if (typeof parsed === 'string') {
          return {
            skip: { record: `TXT ${record.name}`, reason: `${parsed} (SRV target skipped)` },
          };
        }
        const fallback: TxtMetadata =
          typeof serviceMetadata === 'string' ? { extra: {} } : serviceMetadata;
        return { endpoint: toEndpoint(record, address, parsed, fallback) };
      }),
    );
    const endpoints: EndpointDescriptor[] = [];
    for (const item of resolved) {
      if ('skip' in item && item.skip) skipped.push(item.skip);
      else if ('endpoint' in item && item.endpoint) endpoints.push(item.endpoint);
    }
    return { endpoints, skipped };
  }

  function toEndpoint(
    record: SrvRecord,
    address: string,
    own: TxtMetadata,
    service: TxtMetadata,
  ): EndpointDescriptor {
    const transport = own.transport ?? service.transport ?? defaultTransport;
    const path = own.path ?? service.path ?? defaultPath;
    const scheme = schemeFor(
      transport,
      (own.scheme ?? service.scheme ?? defaultScheme) === 'https',
    );
    const host = address.includes(':') ? `[${address}]` : address;
    const url = `${scheme}://${host}:${record.port}${path}`;
    return {
      id: `${id}/${record.name}:${record.port}`,
      server: options.server,
      transport: { type: transport, url },
      tags: own.tags ?? service.tags ?? [],
      weight: record.weight,
      metadata: {
        ...service.extra,
        ...own.extra,
        'dns.target': record.name,
        'dns.priority': String(record.priority),
      },
      source: id,
    };
  }

  return createDiscoverySource({
    id,
    clock,
    fetch: lookup,
    toError: (error) => {
      const cause = error instanceof Error ? error : undefined;
      return new DiscoveryError(
        id,
        `lookup of ${options.name} failed (${errorCode(error) ?? cause?.message ?? String(error)}); keeping the last known set. Check the resolver address and that the DNS server is up.`,
        { server: options.server, cause: error },
      );
    },
    // Changes arrive by looking again: every refreshMs after the last lookup ended.
    watch(run) {
      const refreshTimer = createOneShotTimer(clock);
      const tick = async () => {
        await run.refresh();
        if (run.active) refreshTimer.schedule(refreshMs, () => void tick());
      };
      void tick();
      return () => {
        refreshTimer.cancel();
        resolver.cancel();
      };
    },
  });
}
