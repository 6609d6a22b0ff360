import { describe, expect, it } from 'vitest';
import {
  acceptsScheme,
  kindOfUrl,
  schemeFor,
  TRANSPORT_KIND_NAMES,
  transportKindOf,
  URL_TRANSPORT_KINDS,
} from './transport-kinds.js';

describe('transport kinds', () => {
  it('maps every alias to its kind and rejects unknown names', () => {
    expect(transportKindOf('http')).toBe('streamable-http');
    expect(transportKindOf('streamableHttp')).toBe('streamable-http');
    expect(transportKindOf('ws')).toBe('websocket');
    expect(transportKindOf('stdio')).toBe('stdio');
    expect(transportKindOf('carrier-pigeon')).toBeUndefined();
    for (const kind of TRANSPORT_KIND_NAMES) expect(transportKindOf(kind)).toBe(kind);
  });

  it('knows which schemes each URL kind takes', () => {
    expect(URL_TRANSPORT_KINDS).toEqual(['streamable-http', 'sse', 'websocket']);
    expect(schemeFor('websocket', true)).toBe('wss');
    expect(schemeFor('sse', false)).toBe('http');
    expect(acceptsScheme('websocket', 'ws:')).toBe(true);
    expect(acceptsScheme('websocket', 'http:')).toBe(false);
    expect(acceptsScheme('streamable-http', 'https')).toBe(true);
    expect(acceptsScheme('stdio', 'http:')).toBe(false);
    expect(kindOfUrl('wss:')).toBe('websocket');
    expect(kindOfUrl('https:')).toBe('streamable-http');
    expect(kindOfUrl('ftp:')).toBeUndefined();
  });
});
