import { describe, expect, it } from 'vitest';
import { mapHealthEntries } from '../src/mapping.js';

const opts = { service: 'files', server: 'files', source: 'consul:files' };

function entry(service: Record<string, unknown>, node = { Node: 'n1', Address: '10.0.0.9' }) {
  return { Node: node, Service: { ID: 'a', Service: 'files', Port: 8080, ...service }, Checks: [] };
}

describe('mapHealthEntries', () => {
  it('maps address, weight, tags and metadata, falling back to the node address', () => {
    const { endpoints, skipped } = mapHealthEntries(
      [
        entry({
          Address: '',
          Tags: ['x', 'y'],
          Weights: { Passing: 7, Warning: 1 },
          Meta: { zone: 'eu' },
        }),
        entry({ ID: 'b', Address: '10.0.0.2', Port: 9000 }),
      ],
      opts,
    );
    expect(skipped).toEqual([]);
    expect(endpoints[0]).toEqual({
      id: 'consul:files:n1/a',
      server: 'files',
      transport: { type: 'streamable-http', url: 'http://10.0.0.9:8080/mcp' },
      tags: ['x', 'y'],
      weight: 7,
      metadata: { zone: 'eu' },
      source: 'consul:files',
    });
    expect(endpoints[1]?.transport).toEqual({
      type: 'streamable-http',
      url: 'http://10.0.0.2:9000/mcp',
    });
    expect(endpoints[1]?.weight).toBe(1);
  });

  it('chooses transport, scheme and path from Meta', () => {
    const { endpoints } = mapHealthEntries(
      [
        entry({ Meta: { mcp_transport: 'sse', mcp_path: '/sse', mcp_scheme: 'https' } }),
        entry({ ID: 'w', Meta: { mcp_transport: 'websocket', mcp_path: 'ws' } }),
        entry({ ID: 'v6', Address: '::1' }),
      ],
      opts,
    );
    expect(endpoints.map((e) => e.transport)).toEqual([
      { type: 'sse', url: 'https://10.0.0.9:8080/sse' },
      { type: 'websocket', url: 'ws://10.0.0.9:8080/ws' },
      { type: 'streamable-http', url: 'http://[::1]:8080/mcp' },
    ]);
  });

  it('skips unusable entries with a reason and keeps the rest', () => {
    const { endpoints, skipped } = mapHealthEntries(
      [
        'garbage',
        entry({ ID: 'noport', Port: 'x' }),
        entry({ ID: 'noaddr', Address: '' }, { Node: 'n2', Address: '' }),
        entry({ ID: 'zero', Weights: { Passing: 0, Warning: 0 } }),
        entry({ ID: 'bad-transport', Meta: { mcp_transport: 'carrier-pigeon' } }),
        entry({ ID: 'ok' }),
        entry({ ID: 'ok' }),
      ],
      opts,
    );
    expect(endpoints.map((e) => e.id)).toEqual(['consul:files:n1/ok']);
    expect(skipped.map((s) => s.record)).toEqual([
      'files/#0',
      'files/noport@n1',
      'files/noaddr@n2',
      'files/zero@n1',
      'files/bad-transport@n1',
      'files/ok@n1',
    ]);
    expect(skipped[1]?.reason).toMatch(/Service\.Port/);
    expect(skipped[2]?.reason).toMatch(/Node\.Address/);
    expect(skipped[3]?.reason).toMatch(/Weights\.Passing/);
    expect(skipped[4]?.reason).toMatch(/carrier-pigeon/);
    expect(skipped[5]?.reason).toMatch(/duplicate/);
  });

  it('names the field, what was expected and what was found', () => {
    const { skipped } = mapHealthEntries(
      [
        'garbage',
        entry({ ID: 'noport', Port: 'x' }),
        entry({ ID: 'zero', Weights: { Passing: 0, Warning: 0 } }),
        entry({ ID: 'bad-transport', Meta: { mcp_transport: 'carrier-pigeon' } }),
        entry({ ID: 'bad-scheme', Meta: { mcp_scheme: 'gopher' } }),
        { Node: { Node: 'n1' } },
      ],
      opts,
    );
    expect(skipped.map((skip) => skip.reason)).toEqual([
      'entry must be an object with a Service (got "garbage")',
      'Service.Port must be an integer in 1..65535 (got "x")',
      'Service.Weights.Passing must be a number > 0 (got 0)',
      'Service.Meta.mcp_transport must be one of streamable-http, sse, websocket (got "carrier-pigeon")',
      'Service.Meta.mcp_scheme must be http or https (got "gopher")',
      'Service must be an object (got undefined)',
    ]);
  });

  it('keeps only string Tags and Meta values, and is lenient where Consul is', () => {
    const { endpoints, skipped } = mapHealthEntries(
      [
        entry({
          Tags: ['a', 1, 'b'],
          Meta: { zone: 'eu', count: 3, __proto__: 'x' },
          Weights: null,
        }),
      ],
      opts,
    );
    expect(skipped).toEqual([]);
    expect(endpoints[0]).toMatchObject({ tags: ['a', 'b'], metadata: { zone: 'eu' }, weight: 1 });
  });
});
