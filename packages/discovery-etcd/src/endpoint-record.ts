import {
  acceptsScheme,
  describeRecordIssues,
  type EndpointDescriptor,
  type RecordIssue,
  TRANSPORT_KIND_NAMES,
  TRANSPORT_KINDS,
  type TransportKind,
  URL_TRANSPORT_KINDS,
} from '@mcpmx/core';
import { z } from 'zod';

const stringRecord = z.record(z.string(), z.string({ error: 'a string' }), {
  error: 'an object of strings',
});
const stringArray = z.array(z.string({ error: 'a string' }), { error: 'an array of strings' });

/** `an absolute URL, http: or https: for sse`, from core's table of transport kinds. */
function urlExpected(kind: TransportKind): string {
  const schemes = TRANSPORT_KINDS[kind].schemes.map((scheme) => `${scheme}:`).join(' or ');
  return `an absolute URL, ${schemes} for ${kind}`;
}

function urlFits(kind: TransportKind, url: string): boolean {
  return URL.canParse(url) && acceptsScheme(kind, new URL(url).protocol);
}

const stdioTransport = z.strictObject({
  type: z.literal('stdio'),
  command: z
    .string({ error: 'a non-empty string for stdio' })
    .refine((command) => command.trim().length > 0, { error: 'a non-empty string for stdio' }),
  args: stringArray.optional(),
  env: stringRecord.optional(),
  cwd: z.string({ error: 'a string' }).optional(),
});

const urlTransport = z
  .strictObject({
    type: z.enum(URL_TRANSPORT_KINDS),
    url: z.string({ error: 'an absolute URL' }),
    headers: stringRecord.optional(),
  })
  .superRefine((transport, context) => {
    if (!urlFits(transport.type, transport.url)) {
      context.addIssue({ code: 'custom', path: ['url'], message: urlExpected(transport.type) });
    }
  });

const transportSchema = z.discriminatedUnion('type', [stdioTransport, urlTransport], {
  error: (issue) =>
    issue.code === 'invalid_union' ? `one of ${TRANSPORT_KIND_NAMES.join(', ')}` : 'an object',
});

/**
 * The JSON value stored at each key under the prefix. Either `transport` or `url` is required;
 * `url` alone means Streamable HTTP. Keys other than these are reported, so typos do not pass.
 *
 * ```json
 * { "server": "files", "url": "http://10.0.0.5:8080/mcp", "tags": ["eu"], "weight": 2,
 *   "metadata": { "zone": "a" } }
 * ```
 */
const recordObject = z.strictObject(
  {
    /** Logical server name. Optional when the discovery has a `server` option. */
    server: z
      .string({ error: 'a non-empty string' })
      .min(1, { error: 'a non-empty string' })
      .optional(),
    /** A core TransportConfig; `stdio` only with the discovery's `allowStdio`. */
    transport: transportSchema.optional(),
    /** Shorthand for `{ type: 'streamable-http', url }`. */
    url: z.string({ error: urlExpected('streamable-http') }).optional(),
    tags: stringArray.optional(),
    /** Relative weight, >= 0. Default 1. */
    weight: z.number({ error: 'a number >= 0' }).min(0, { error: 'a number >= 0' }).optional(),
    metadata: stringRecord.optional(),
  },
  { error: 'a JSON object' },
);

export const etcdEndpointRecordSchema = recordObject.superRefine((record, context) => {
  if (record.transport !== undefined) return;
  if (record.url === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['url'],
      message: `${urlExpected('streamable-http')} (or give transport)`,
    });
  } else if (!urlFits('streamable-http', record.url)) {
    context.addIssue({ code: 'custom', path: ['url'], message: urlExpected('streamable-http') });
  }
});

/** The record as written to etcd (what `register()` takes). */
export type EtcdEndpointRecord = z.input<typeof etcdEndpointRecordSchema>;

const RECORD_KEYS = Object.keys(recordObject.shape);
const STDIO_KEYS = Object.keys(stdioTransport.shape);
const URL_KEYS = Object.keys(urlTransport.shape);

/** The keys allowed where an unknown key was found, for the reason's list and did-you-mean. */
function knownKeys(record: unknown) {
  return (path: readonly PropertyKey[]): readonly string[] => {
    if (path.length === 0) return RECORD_KEYS;
    const type = (record as { transport?: { type?: unknown } }).transport?.type;
    return type === 'stdio' ? STDIO_KEYS : URL_KEYS;
  };
}

/**
 * Parses and validates the JSON value at `key`. Returns the endpoint, or a reason naming the
 * path, what was expected there and what was found. `id` and `source` come from the caller's
 * naming scheme. A `stdio` transport is refused unless `allowStdio`: whoever can write the key
 * would choose what clients run.
 */
export function parseEndpointRecord(
  text: string,
  context: { id: string; source: string; server: string | undefined; allowStdio?: boolean },
): EndpointDescriptor | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `value is not JSON (${(error as Error).message.slice(0, 120)})`;
  }
  const parsed = etcdEndpointRecordSchema.safeParse(value);
  if (!parsed.success) {
    return describeRecordIssues(parsed.error.issues as readonly RecordIssue[], value, {
      knownKeys: knownKeys(value),
    });
  }
  const record = parsed.data;
  const server = record.server ?? context.server;
  if (server === undefined) {
    return 'server must be a non-empty string, or pass the server option (got undefined)';
  }
  const transport = record.transport ?? { type: 'streamable-http', url: record.url as string };
  if (transport.type === 'stdio' && !(context.allowStdio ?? false)) {
    return 'transport.type stdio is refused: a record in etcd would make clients run a command (set allowStdio to accept it)';
  }
  return {
    id: context.id,
    server,
    transport,
    tags: record.tags ?? [],
    weight: record.weight ?? 1,
    metadata: record.metadata ?? {},
    source: context.source,
  };
}
