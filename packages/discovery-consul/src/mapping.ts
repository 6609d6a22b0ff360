import {
  type DiscoveryResult,
  describeRecordIssues,
  describeValue,
  type EndpointDescriptor,
  type RecordIssue,
  type SkippedRecord,
  schemeFor,
  type TransportConfig,
  URL_TRANSPORT_KINDS,
} from '@mcpmx/core';
import { z } from 'zod';

/** Meta key choosing the transport: one of core's URL transport kinds; default streamable-http. */
const META_TRANSPORT = 'mcp_transport';
/** Meta key giving the URL path. Default `/mcp`. */
const META_PATH = 'mcp_path';
/** Meta key asking for TLS: `http` (default) or `https` (`https`, or `wss` for websocket). */
const META_SCHEME = 'mcp_scheme';

/** Characters that would make an address more than a host: a path, userinfo, a query. */
const NOT_HOST = /[\s/?#@\\%]/;
const DEFAULT_PORTS: Record<string, number> = { http: 80, ws: 80, https: 443, wss: 443 };

const onlyStrings = (value: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );

/** `Service.Meta`: its string values are the metadata; three of them choose transport and URL. */
const metaSchema = z
  .record(z.string(), z.unknown())
  .catch({})
  .transform(onlyStrings)
  .pipe(
    z
      .object({
        [META_TRANSPORT]: z
          .enum(URL_TRANSPORT_KINDS, { error: `one of ${URL_TRANSPORT_KINDS.join(', ')}` })
          .optional(),
        [META_SCHEME]: z.enum(['http', 'https'], { error: 'http or https' }).optional(),
        [META_PATH]: z.string().optional(),
      })
      .catchall(z.string()),
  );

const PORT = 'an integer in 1..65535';

/**
 * One entry of Consul's `/v1/health/service/<name>` answer, declared once. Fields mcpmx does
 * not need (`Checks`, `Service.Service`, ...) pass; a wrongly typed `Address`, `Tags` or `Node`
 * counts as absent, as Consul itself never sends one.
 */
const healthEntrySchema = z.looseObject(
  {
    Node: z
      .looseObject({ Node: z.string().catch(''), Address: z.string().catch('') })
      .catch({ Node: '', Address: '' }),
    Service: z.looseObject(
      {
        ID: z.string({ error: 'a non-empty string' }).min(1, { error: 'a non-empty string' }),
        Port: z
          .number({ error: PORT })
          .int({ error: PORT })
          .min(1, { error: PORT })
          .max(65535, { error: PORT }),
        Address: z.string().catch(''),
        Tags: z
          .array(z.unknown())
          .catch([])
          .transform((tags) => tags.filter((tag): tag is string => typeof tag === 'string')),
        Weights: z
          .looseObject(
            { Passing: z.number({ error: 'a number > 0' }).gt(0, { error: 'a number > 0' }) },
            { error: 'an object with Passing' },
          )
          .nullish(),
        Meta: metaSchema,
      },
      { error: 'an object' },
    ),
  },
  { error: 'an object with a Service' },
);

/** A Consul health entry as mcpmx reads it. */
export type ConsulHealthEntry = z.output<typeof healthEntrySchema>;

/** What {@link mapHealthEntries} gives: one complete set. */
export type MapResult = DiscoveryResult & {
  endpoints: EndpointDescriptor[];
  skipped: SkippedRecord[];
};

function recordName(entry: unknown, position: number, service: string): string {
  const raw = entry as { Service?: { ID?: unknown }; Node?: { Node?: unknown } } | null;
  const id = typeof raw?.Service?.ID === 'string' && raw.Service.ID ? raw.Service.ID : undefined;
  const node = typeof raw?.Node?.Node === 'string' ? raw.Node.Node : '';
  return `${service}/${id ?? `#${position}`}${node ? `@${node}` : ''}`;
}

/**
 * Maps the entries of a Consul `/v1/health/service/<name>` response to endpoints.
 * `Service.Address` falls back to `Node.Address`; `Weights.Passing` is the weight; `Tags` are
 * the tags; string `Meta` values are the metadata, and `mcp_transport`/`mcp_path`/`mcp_scheme`
 * choose the transport and URL. Entries that cannot be used are skipped with a reason naming
 * the field, what was expected and what was found.
 */
export function mapHealthEntries(
  body: readonly unknown[],
  options: { service: string; server: string; source: string },
): MapResult {
  const endpoints: EndpointDescriptor[] = [];
  const skipped: SkippedRecord[] = [];
  const seen = new Set<string>();
  for (const [position, entry] of body.entries()) {
    const record = recordName(entry, position, options.service);
    const skip = (reason: string): void => {
      skipped.push({ record, reason });
    };
    const parsed = healthEntrySchema.safeParse(entry);
    if (!parsed.success) {
      skip(
        describeRecordIssues(parsed.error.issues as readonly RecordIssue[], entry, {
          root: 'entry',
        }),
      );
      continue;
    }
    const { Node: node, Service: service } = parsed.data;
    const host = service.Address || node.Address;
    if (!host) {
      skip('neither Service.Address nor Node.Address is set');
      continue;
    }
    if (NOT_HOST.test(host)) {
      skip(`the address ${describeValue(host)} is not a host name or IP address`);
      continue;
    }
    const meta = service.Meta;
    const kind = meta[META_TRANSPORT] ?? 'streamable-http';
    const scheme = schemeFor(kind, meta[META_SCHEME] === 'https');
    const path = meta[META_PATH] ?? '/mcp';
    const port = service.Port;
    const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    let url: URL | undefined;
    try {
      url = new URL(`${scheme}://${hostPart}:${port}${path.startsWith('/') ? path : `/${path}`}`);
    } catch {
      url = undefined;
    }
    // The URL must point at this host and port: an address like "a:1" must not move the port.
    const effectivePort = url?.port === '' ? DEFAULT_PORTS[scheme] : Number(url?.port);
    if (!url || url.hostname === '' || effectivePort !== port) {
      skip(
        `cannot build a URL from host ${describeValue(host)}, port ${port} and path ${describeValue(path)}`,
      );
      continue;
    }
    const id = `${options.source}:${node.Node ? `${node.Node}/` : ''}${service.ID}`;
    if (seen.has(id)) {
      skip('duplicate Service.ID on the same node');
      continue;
    }
    seen.add(id);
    endpoints.push({
      id,
      server: options.server,
      transport: { type: kind, url: url.href } as TransportConfig,
      tags: service.Tags,
      weight: service.Weights?.Passing ?? 1,
      metadata: { ...meta },
      source: options.source,
    });
  }
  return { endpoints, skipped };
}
