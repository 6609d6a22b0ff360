import { describe, expect, it } from 'vitest';
import { parseTxtMetadata } from './txt-metadata.js';

describe('parseTxtMetadata', () => {
  it('reads transport, path, tags and keeps other pairs as metadata', () => {
    expect(
      parseTxtMetadata([
        ['transport=sse', 'path=/events'],
        ['tags=a, b,,c', 'zone=eu-1'],
      ]),
    ).toEqual({
      transport: 'sse',
      path: '/events',
      tags: ['a', 'b', 'c'],
      extra: { zone: 'eu-1' },
    });
  });

  it('returns no fields for no records', () => {
    expect(parseTxtMetadata([])).toEqual({ extra: {} });
  });

  it.each([
    [
      ['transport=carrier-pigeon'],
      'TXT transport must be one of streamable-http, sse, websocket (got "carrier-pigeon")',
    ],
    [
      ['transport=stdio'],
      'TXT transport must be one of streamable-http, sse, websocket (got "stdio")',
    ],
    [['path=mcp'], 'TXT path must be a path starting with "/" (got "mcp")'],
    [['no-equals-sign'], 'TXT entry must be a key=value pair (got "no-equals-sign")'],
    [['scheme=gopher'], 'TXT scheme must be http or https (got "gopher")'],
  ])('names the key, what was expected and what was found in %j', (entries, reason) => {
    expect(parseTxtMetadata([entries])).toBe(reason);
  });

  it('reads keys case-insensitively, lets a later pair win, and keeps no prototype keys', () => {
    const parsed = parseTxtMetadata([['PATH=/a', ' path =/b', '__proto__=x', 'Zone=eu']]);
    expect(parsed).toEqual({ path: '/b', extra: { zone: 'eu' } });
    expect(Object.getPrototypeOf((parsed as { extra: object }).extra)).toBe(Object.prototype);
  });
});
