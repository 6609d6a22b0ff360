import type { DiscoveredSet, EndpointDescriptor } from '@mcpmx/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConfigDiscovery } from './config/config-discovery.js';
import { createRegistry, type RegistryEvents } from './registry.js';

const endpoint = (id: string, extra: Partial<EndpointDescriptor> = {}): EndpointDescriptor => ({
  id,
  server: id.split('#')[0] ?? id,
  transport: { type: 'streamable-http', url: `http://127.0.0.1/${id}` },
  ...extra,
});
const set = (source: string, endpoints: EndpointDescriptor[]): DiscoveredSet => ({
  source,
  endpoints,
  skipped: [],
  at: 0,
});

function record<K extends keyof RegistryEvents>(
  registry: ReturnType<typeof createRegistry>,
  event: K,
) {
  const seen: RegistryEvents[K][] = [];
  registry.on(event, (payload) => seen.push(payload));
  return seen;
}

describe('createRegistry', () => {
  it('applies whole sets as diffs, with events', () => {
    const registry = createRegistry();
    const registered = record(registry, 'registered');
    const unregistered = record(registry, 'unregistered');
    const updated = record(registry, 'updated');
    expect(registry.applySet(set('dns', [endpoint('a#0'), endpoint('a#1')]))).toEqual({
      added: ['a#0', 'a#1'],
      removed: [],
      changed: [],
    });
    expect(
      registry.applySet(set('dns', [endpoint('a#1', { weight: 5 }), endpoint('b#0')])),
    ).toEqual({ added: ['b#0'], removed: ['a#0'], changed: ['a#1'] });
    expect(registered.map((e) => e.replica.id)).toEqual(['a#0', 'a#1', 'b#0']);
    expect(unregistered.map((e) => e.replica.id)).toEqual(['a#0']);
    expect(updated[0]?.replica.weight).toBe(5);
    expect(registry.servers()).toEqual(['a', 'b']);
    expect(registry.replicas('a').map((r) => r.descriptor.id)).toEqual(['a#1']);
  });

  it('never lets one source remove or overwrite another source’s entries', () => {
    const registry = createRegistry();
    const conflicts = record(registry, 'conflict');
    registry.applySet(set('config', [endpoint('a#0')]));
    registry.applySet(set('dns', [endpoint('a#0', { weight: 9 }), endpoint('a#1')]));
    expect(conflicts).toEqual([{ replica: 'a#0', owner: 'config', claimant: 'dns' }]);
    expect(registry.replica('a#0')?.descriptor.weight).toBeUndefined();
    registry.applySet(set('dns', []));
    expect(registry.replicas('a').map((r) => r.descriptor.id)).toEqual(['a#0']);
    registry.removeSource('config');
    expect(registry.servers()).toEqual([]);
  });

  it('follows an attached discovery source and stops when detached', async () => {
    const registry = createRegistry();
    const discovery = createConfigDiscovery({ config: { mcpServers: { x: { command: 'x' } } } });
    await discovery.start();
    const detach = registry.attach(discovery);
    expect(registry.replicas('x')[0]?.source).toBe('config');
    detach();
    await discovery.stop();
    registry.close();
  });

  it('moves a replica whose server changes from one server to the other, with one updated event', () => {
    const registry = createRegistry();
    const updates = record(registry, 'updated');
    registry.applySet(set('config', [endpoint('r#0', { server: 'a' })]));
    registry.applySet(set('config', [endpoint('r#0', { server: 'b' })]));
    expect(registry.servers()).toEqual(['b']);
    expect(registry.replicas('a')).toEqual([]);
    expect(registry.replicas('b').map((entry) => entry.descriptor.id)).toEqual(['r#0']);
    expect(updates).toEqual([
      expect.objectContaining({
        previous: expect.objectContaining({ server: 'a' }),
        replica: expect.objectContaining({ server: 'b' }),
      }),
    ]);
  });

  it('snapshot() is plain JSON without secrets', () => {
    const registry = createRegistry();
    registry.applySet(
      set('config', [
        endpoint('s#0', {
          transport: {
            type: 'streamable-http',
            url: 'https://h.example/mcp?key=hunter2',
            headers: { Authorization: 'Bearer hunter2' },
          },
        }),
        endpoint('t#0', {
          transport: { type: 'stdio', command: 'srv', env: { TOKEN: 'hunter2' } },
        }),
      ]),
    );
    const json = JSON.stringify(registry.snapshot());
    expect(json).not.toContain('hunter2');
    expect(JSON.parse(json).servers[0].replicas[0]).toMatchObject({
      id: 's#0',
      transport: 'streamable-http:https://h.example/mcp',
      source: 'config',
    });
  });

  it('property: after any sequence of sets from several sources, the registry holds exactly the union of each source’s latest set, each id owned by a source that lists it', () => {
    const sources = ['config', 'dns', 'etcd'];
    const update = fc.record({
      source: fc.constantFrom(...sources),
      ids: fc.uniqueArray(fc.constantFrom('a#0', 'a#1', 'b#0', 'b#1', 'c#0'), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(update, { maxLength: 30 }), (updates) => {
        const registry = createRegistry();
        const latest = new Map<string, string[]>();
        for (const { source, ids } of updates) {
          registry.applySet(
            set(
              source,
              ids.map((id) => endpoint(id)),
            ),
          );
          latest.set(source, ids);
        }
        const held = registry.servers().flatMap((server) => registry.replicas(server));
        const union = new Set([...latest.values()].flat());
        expect(held.map((r) => r.descriptor.id).sort()).toEqual([...union].sort());
        for (const replica of held) {
          expect(latest.get(replica.source)).toContain(replica.descriptor.id);
        }
      }),
    );
  });

  it('hands an id to another source that lists it when its owner drops it', () => {
    const registry = createRegistry();
    registry.applySet(set('config', [endpoint('a#0')]));
    registry.applySet(set('dns', [endpoint('a#0', { weight: 7 })]));
    registry.applySet(set('config', []));
    expect(registry.replica('a#0')).toMatchObject({ source: 'dns', descriptor: { weight: 7 } });
  });
});
