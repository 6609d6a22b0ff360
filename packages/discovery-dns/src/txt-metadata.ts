import { describeRecordIssues, type RecordIssue, URL_TRANSPORT_KINDS } from '@mcpmx/core';
import { z } from 'zod';

/**
 * TXT metadata, declared once: `transport=`, `scheme=`, `path=`, `tags=` (comma-separated), and
 * every other `key=value` kept in `extra` as endpoint metadata. Transports are core's URL
 * transport kinds.
 */
const txtMetadataSchema = z.object({
  transport: z
    .enum(URL_TRANSPORT_KINDS, { error: `one of ${URL_TRANSPORT_KINDS.join(', ')}` })
    .optional(),
  /** `https` asks for TLS: `https`, or `wss` for websocket. */
  scheme: z.enum(['http', 'https'], { error: 'http or https' }).optional(),
  path: z.string().startsWith('/', { error: 'a path starting with "/"' }).optional(),
  tags: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((tag) => tag.trim())
        .filter((tag) => tag.length > 0),
    )
    .optional(),
  extra: z.record(z.string(), z.string()),
});

/** Metadata read from TXT records. */
export type TxtMetadata = z.output<typeof txtMetadataSchema>;

const FIELDS = new Set(['transport', 'scheme', 'path', 'tags']);

/**
 * Parses TXT records (each an array of character-strings, as `resolveTxt` returns them) into
 * metadata. Each character-string is one `key=value` pair; keys are case-insensitive and a later
 * pair wins. Returns a reason naming the key, what was expected and what was found when a pair
 * is malformed (no `=`, an unknown transport or scheme, a path not starting with `/`).
 */
export function parseTxtMetadata(records: readonly (readonly string[])[]): TxtMetadata | string {
  const fields: Record<string, string> = {};
  const extra = new Map<string, string>();
  for (const record of records) {
    for (const entry of record) {
      const equals = entry.indexOf('=');
      if (equals <= 0) {
        return describeRecordIssues([{ path: [], message: 'a key=value pair' }], entry, {
          root: 'TXT entry',
        });
      }
      const key = entry.slice(0, equals).trim().toLowerCase();
      const value = entry.slice(equals + 1).trim();
      if (FIELDS.has(key)) fields[key] = value;
      else extra.set(key, value);
    }
  }
  const raw = { ...fields, extra: Object.fromEntries(extra) };
  const parsed = txtMetadataSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return describeRecordIssues(parsed.error.issues as readonly RecordIssue[], raw, {
    prefix: 'TXT ',
    root: 'TXT',
  });
}
