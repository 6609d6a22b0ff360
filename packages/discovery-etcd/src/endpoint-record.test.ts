import { describe, expect, it } from 'vitest';
import { parseEndpointRecord } from './endpoint-record.js';

const context = { id: 'etcd:/p/k', source: 'etcd:/p', server: undefined, allowStdio: true };

describe('parseEndpointRecord', () => {
  it('reads url shorthand, tags, weight and metadata', () => {
    expect(
      parseEndpointRecord(
        JSON.stringify({
          server: 'files',
          url: 'http://10.0.0.5:8080/mcp',
          tags: ['eu'],
          weight: 2,
          metadata: { zone: 'a' },
        }),
        context,
      ),
    ).toEqual({
      id: 'etcd:/p/k',
      server: 'files',
      transport: { type: 'streamable-http', url: 'http://10.0.0.5:8080/mcp' },
      tags: ['eu'],
      weight: 2,
      metadata: { zone: 'a' },
      source: 'etcd:/p',
    });
  });

  it('accepts a full transport, and takes server from the option when absent', () => {
    const endpoint = parseEndpointRecord(
      JSON.stringify({ transport: { type: 'stdio', command: 'mcp-server', args: ['--x'] } }),
      { ...context, server: 'tools' },
    );
    expect(endpoint).toMatchObject({
      server: 'tools',
      transport: { type: 'stdio', command: 'mcp-server', args: ['--x'] },
      weight: 1,
      tags: [],
    });
  });

  it('refuses a stdio record unless allowStdio: a writer to etcd must not choose what clients run', () => {
    const text = JSON.stringify({ server: 's', transport: { type: 'stdio', command: 'sh' } });
    expect(parseEndpointRecord(text, { ...context, allowStdio: false })).toContain(
      'transport.type stdio is refused',
    );
    expect(parseEndpointRecord(text, { ...context, allowStdio: undefined })).toContain(
      'set allowStdio to accept it',
    );
  });

  it.each([
    ['{"server": ', 'not JSON'],
    ['[1]', 'must be a JSON object'],
    ['{"url": "http://a/mcp"}', 'server must be a non-empty string'],
    ['{"server": "s"}', 'either transport or url is required'],
    ['{"server": "s", "url": "nope"}', 'url must be an absolute URL'],
    ['{"server": "s", "transport": {"type": "carrier-pigeon"}}', 'transport.type must be'],
    ['{"server": "s", "transport": {"type": "sse"}}', 'transport.url must be'],
    ['{"server": "s", "transport": {"type": "stdio"}}', 'transport.command'],
    ['{"server": "s", "url": "http://a/", "tags": "x"}', 'tags must be an array of strings'],
    ['{"server": "s", "url": "http://a/", "weight": -1}', 'weight must be a number >= 0'],
    ['{"server": "s", "url": "http://a/", "metadata": {"n": 1}}', 'metadata must be'],
  ])('rejects %s naming the problem', (text, reason) => {
    const result = parseEndpointRecord(text, context);
    expect(typeof result).toBe('string');
    expect(result).toContain(reason);
  });
});
