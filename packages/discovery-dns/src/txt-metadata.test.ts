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
    [['transport=carrier-pigeon'], 'transport="carrier-pigeon"'],
    [['transport=stdio'], 'transport="stdio"'],
    [['path=mcp'], 'must start with "/"'],
    [['no-equals-sign'], 'is not key=value'],
    [['scheme=gopher'], 'http or https'],
  ])('names the problem in %j', (entries, reason) => {
    const result = parseTxtMetadata([entries]);
    expect(typeof result).toBe('string');
    expect(result).toContain(reason);
  });
});
