import type { TransportKind } from '@mcpmx/core';

/** Metadata read from TXT records: `transport=`, `path=`, `tags=`, and any other `key=value`. */
export interface TxtMetadata {
  transport?: 'streamable-http' | 'sse' | 'websocket';
  scheme?: 'http' | 'https';
  path?: string;
  tags?: string[];
  /** Every other `key=value` pair, kept as endpoint metadata. */
  extra: Record<string, string>;
}

const TRANSPORTS = new Set<TransportKind>(['streamable-http', 'sse', 'websocket']);

/**
 * Parses TXT records (each an array of character-strings, as `resolveTxt` returns them) into
 * metadata. Each character-string is one `key=value` pair. Returns a reason string when a
 * pair is malformed (no `=`, an unknown transport, a path not starting with `/`).
 */
export function parseTxtMetadata(records: readonly (readonly string[])[]): TxtMetadata | string {
  const metadata: TxtMetadata = { extra: {} };
  for (const record of records) {
    for (const entry of record) {
      const equals = entry.indexOf('=');
      if (equals <= 0) return `TXT entry ${JSON.stringify(entry)} is not key=value`;
      const key = entry.slice(0, equals).trim().toLowerCase();
      const value = entry.slice(equals + 1).trim();
      if (key === 'transport') {
        if (!TRANSPORTS.has(value as TransportKind) || value === 'stdio') {
          return `TXT transport=${JSON.stringify(value)} is not one of streamable-http, sse, websocket`;
        }
        metadata.transport = value as TxtMetadata['transport'];
      } else if (key === 'path') {
        if (!value.startsWith('/')) return `TXT path=${JSON.stringify(value)} must start with "/"`;
        metadata.path = value;
      } else if (key === 'scheme') {
        if (value !== 'http' && value !== 'https') {
          return `TXT scheme=${JSON.stringify(value)} must be http or https`;
        }
        metadata.scheme = value;
      } else if (key === 'tags') {
        metadata.tags = value
          .split(',')
          .map((tag) => tag.trim())
          .filter((tag) => tag.length > 0);
      } else {
        metadata.extra[key] = value;
      }
    }
  }
  return metadata;
}
