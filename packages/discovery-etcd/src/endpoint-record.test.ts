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
    [
      '{"server": "s"}',
      'url must be an absolute URL, http: or https: for streamable-http (or give transport) (got undefined)',
    ],
    ['{"server": "s", "url": "nope"}', 'url must be an absolute URL'],
    ['{"server": "s", "transport": {"type": "carrier-pigeon"}}', 'transport.type must be'],
    ['{"server": "s", "transport": {"type": "sse"}}', 'transport.url must be'],
    ['{"server": "s", "transport": {"type": "stdio"}}', 'transport.command'],
    ['{"server": "s", "url": "http://a/", "tags": "x"}', 'tags must be an array of strings'],
    ['{"server": "s", "url": "http://a/", "weight": -1}', 'weight must be a number >= 0'],
    [
      '{"server": "s", "url": "http://a/", "metadata": {"n": 1}}',
      'metadata.n must be a string (got 1)',
    ],
    [
      '{"server": "s", "url": "http://a/", "metadata": []}',
      'metadata must be an object of strings',
    ],
    ['{"server": "s", "url": "http://a/", "tags": ["a", 2]}', 'tags[1] must be a string (got 2)'],
    ['{"server": "s", "transport": "sse"}', 'transport must be an object (got "sse")'],
  ])('rejects %s naming the problem', (text, reason) => {
    const result = parseEndpointRecord(text, context);
    expect(typeof result).toBe('string');
    expect(result).toContain(reason);
  });
});

describe('parseEndpointRecord: each problem names the path, what was expected and what was found', () => {
  it('names the path, the expectation and the value found', () => {
    expect(parseEndpointRecord('{"server": "s", "url": "http://a/", "weight": -1}', context)).toBe(
      'weight must be a number >= 0 (got -1)',
    );
    expect(
      parseEndpointRecord('{"server": "s", "transport": {"type": "carrier-pigeon"}}', context),
    ).toBe(
      'transport.type must be one of stdio, streamable-http, sse, websocket (got "carrier-pigeon")',
    );
  });

  it('reports unknown keys, with a did-you-mean for a near miss, at the top and in transport', () => {
    expect(parseEndpointRecord('{"server": "s", "url": "http://a/", "weigth": 2}', context)).toBe(
      'weigth is not a known key (did you mean "weight"?); expected one of server, transport, url, tags, weight, metadata',
    );
    expect(
      parseEndpointRecord(
        '{"server": "s", "transport": {"type": "sse", "url": "http://a/", "hedaers": {}}}',
        context,
      ),
    ).toBe(
      'transport.hedaers is not a known key (did you mean "headers"?); expected one of type, url, headers',
    );
    expect(
      parseEndpointRecord(
        '{"server": "s", "transport": {"type": "stdio", "command": "x", "argz": []}}',
        context,
      ),
    ).toBe(
      'transport.argz is not a known key (did you mean "args"?); expected one of type, command, args, env, cwd',
    );
    // Far from every key: listed, no guess.
    expect(parseEndpointRecord('{"server": "s", "url": "http://a/", "zone": "eu"}', context)).toBe(
      'zone is not a known key; expected one of server, transport, url, tags, weight, metadata',
    );
  });

  it('counts further problems instead of listing them', () => {
    expect(
      parseEndpointRecord('{"server": "", "url": "http://a/", "weight": -1, "tags": [1]}', context),
    ).toBe('server must be a non-empty string (got "") (and 2 more problems)');
  });
});
