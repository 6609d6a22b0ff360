import type { DiscoveredSet, EndpointDescriptor } from '@mcpmx/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

  it('indexes capabilities for O(1) lookup and reports what changed', () => {
    const registry = createRegistry();
    const changes = record(registry, 'capabilities-changed');
    registry.applySet(set('config', [endpoint('files#0'), endpoint('web#0')]));
    const tool = (name: string) => ({ name, inputSchema: { type: 'object' as const } });
    registry.setCapabilities('files', 'tools', [tool('read'), tool('search')]);
    registry.setCapabilities('web', 'tools', [tool('search')]);
    registry.setCapabilities('files', 'resources', [{ uri: 'file:///a', name: 'a' }]);
    expect(registry.lookup('tools', 'search').sort()).toEqual(['files', 'web']);
    expect(registry.lookup('tools', 'read')).toEqual(['files']);
    expect(registry.lookup('resources', 'file:///a')).toEqual(['files']);
    registry.setCapabilities('files', 'tools', [tool('read')]);
    expect(registry.lookup('tools', 'search')).toEqual(['web']);
    expect(changes.at(-1)).toEqual({
      server: 'files',
      kind: 'tools',
      added: [],
      removed: ['search'],
    });
    // The last replica of a server leaving drops its capabilities from the index.
    registry.applySet(set('config', [endpoint('web#0')]));
    expect(registry.lookup('tools', 'read')).toEqual([]);
    expect(registry.lookup('resources', 'file:///a')).toEqual([]);
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
      status: 'unknown',
    });
  });

  describe('stats', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('keeps counts, in-flight and a time-weighted latency EWMA', () => {
      const registry = createRegistry({ latencyDecayMs: 1000 });
      const statuses = record(registry, 'status-changed');
      registry.applySet(set('config', [endpoint('a#0')]));
      registry.setStatus('a#0', 'up', 'session opened');
      registry.recordStart('a#0');
      registry.recordStart('a#0');
      expect(registry.replica('a#0')?.stats.inFlight).toBe(2);
      registry.recordEnd('a#0', { latencyMs: 100, success: true });
      vi.advanceTimersByTime(1000); // one decay constant: the old value keeps weight 1/e
      registry.recordEnd('a#0', { latencyMs: 200, success: false });
      const stats = registry.replica('a#0')?.stats;
      expect(stats).toMatchObject({ successes: 1, errors: 1, inFlight: 0, lastLatencyMs: 200 });
      expect(stats?.ewmaLatencyMs).toBeCloseTo(100 * Math.exp(-1) + 200 * (1 - Math.exp(-1)), 6);
      expect(statuses).toEqual([
        expect.objectContaining({
          replica: 'a#0',
          from: 'unknown',
          to: 'up',
          reason: 'session opened',
        }),
      ]);
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

  it('rejects an invalid status and option with an error naming it', () => {
    const registry = createRegistry();
    expect(() => registry.setStatus('x', 'sideways' as never, 'why')).toThrow('status must be');
    expect(() => createRegistry({ latencyDecayMs: -1 })).toThrow('latencyDecayMs must be');
  });
});
