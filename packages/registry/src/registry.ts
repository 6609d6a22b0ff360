import {
  type Clock,
  createEmitter,
  type DiscoveredSet,
  type Discovery,
  type Disposer,
  describeTransport,
  type EndpointDescriptor,
  systemClock,
} from '@mcpmx/core';

/** One registered replica: what discovery said about it, and which source said so. */
export interface ReplicaEntry {
  readonly descriptor: EndpointDescriptor;
  /** The source that owns this entry. */
  readonly source: string;
}

export interface RegistryEvents {
  registered: { replica: EndpointDescriptor; source: string };
  unregistered: { replica: EndpointDescriptor; source: string };
  /** Weight, tags, metadata or transport of a replica changed. */
  updated: { replica: EndpointDescriptor; previous: EndpointDescriptor; source: string };
  /** Two sources claimed one replica id; the first owner keeps it. */
  conflict: { replica: string; owner: string; claimant: string };
}

export interface RegistryOptions {
  clock?: Clock;
}

/** What the registry knows, as plain JSON without secrets (transports are described, not copied). */
export interface RegistrySnapshot {
  at: number;
  servers: {
    name: string;
    replicas: {
      id: string;
      source: string;
      transport: string;
      tags: readonly string[];
      weight: number;
    }[];
  }[];
}

export interface ApplyResult {
  added: string[];
  removed: string[];
  changed: string[];
}

interface MutableReplica {
  descriptor: EndpointDescriptor;
  source: string;
}

/**
 * Membership: which logical servers exist and which replicas each has, fed by any number of
 * discovery sources. Each source owns the entries it added; its updates arrive as whole sets and
 * are applied as diffs (`registered`, `updated`, `unregistered` events), and a source never
 * removes another source's entries. It keeps no live state of a replica (status, load, stats,
 * catalog): the client's route for the server owns that.
 */
export interface Registry {
  applySet(set: DiscoveredSet): ApplyResult;
  /** Applies the source's sets as they come; returns a function that detaches it. */
  attach(discovery: Discovery): Disposer;
  /** Removes every entry the source owns. */
  removeSource(source: string): ApplyResult;
  servers(): string[];
  replicas(server: string): ReplicaEntry[];
  replica(id: string): ReplicaEntry | undefined;
  snapshot(): RegistrySnapshot;
  on: ReturnType<typeof createEmitter<RegistryEvents>>['on'];
  /** Detaches every source and listener. */
  close(): void;
}

/** Creates a registry. */
export function createRegistry(options: RegistryOptions = {}): Registry {
  const clock = options.clock ?? systemClock;
  const events = createEmitter<RegistryEvents>();
  const replicas = new Map<string, MutableReplica>();
  const bySource = new Map<string, Set<string>>();
  /** Each source's latest set, so an id one source drops can pass to another that claims it. */
  const latest = new Map<string, Map<string, EndpointDescriptor>>();
  /** Logical server → its replica ids, so per-server reads do not scan every replica. */
  const byServer = new Map<string, Set<string>>();
  const indexByServer = (entry: MutableReplica, add: boolean) => {
    const server = entry.descriptor.server;
    const ids = byServer.get(server) ?? new Set<string>();
    if (add) ids.add(entry.descriptor.id);
    else ids.delete(entry.descriptor.id);
    if (ids.size === 0) byServer.delete(server);
    else byServer.set(server, ids);
  };
  const attached = new Set<Disposer>();

  const view = (entry: MutableReplica): ReplicaEntry => ({
    descriptor: entry.descriptor,
    source: entry.source,
  });

  const applySet = (set: DiscoveredSet): ApplyResult => {
    const result: ApplyResult = { added: [], removed: [], changed: [] };
    const owned = bySource.get(set.source) ?? new Set<string>();
    bySource.set(set.source, owned);
    const incoming = new Map<string, EndpointDescriptor>();
    for (const endpoint of set.endpoints)
      incoming.set(endpoint.id, { ...endpoint, source: set.source });
    latest.set(set.source, incoming);

    for (const id of [...owned]) {
      if (incoming.has(id)) continue;
      const entry = replicas.get(id);
      owned.delete(id);
      if (!entry) continue;
      // Another source still lists this id: it takes the entry over instead of losing it.
      const heir = [...latest].find(([source, ids]) => source !== set.source && ids.has(id));
      if (heir) {
        const [source, ids] = heir;
        const previous = entry.descriptor;
        entry.descriptor = ids.get(id) as EndpointDescriptor;
        entry.source = source;
        bySource.get(source)?.add(id);
        result.changed.push(id);
        events.emit('updated', { replica: entry.descriptor, previous, source });
        continue;
      }
      replicas.delete(id);
      indexByServer(entry, false);
      result.removed.push(id);
      events.emit('unregistered', { replica: entry.descriptor, source: set.source });
    }
    for (const [id, descriptor] of incoming) {
      const existing = replicas.get(id);
      if (existing && existing.source !== set.source) {
        events.emit('conflict', { replica: id, owner: existing.source, claimant: set.source });
        continue;
      }
      if (!existing) {
        const entry: MutableReplica = { descriptor, source: set.source };
        replicas.set(id, entry);
        indexByServer(entry, true);
        owned.add(id);
        result.added.push(id);
        events.emit('registered', { replica: descriptor, source: set.source });
        continue;
      }
      if (JSON.stringify(existing.descriptor) !== JSON.stringify(descriptor)) {
        const previous = existing.descriptor;
        if (previous.server !== descriptor.server) {
          indexByServer(existing, false);
          existing.descriptor = descriptor;
          indexByServer(existing, true);
        } else {
          existing.descriptor = descriptor;
        }
        result.changed.push(id);
        events.emit('updated', { replica: descriptor, previous, source: set.source });
      }
    }
    return result;
  };

  const registry: Registry = {
    applySet,
    attach: (discovery) => {
      const current = discovery.current();
      if (current) applySet(current);
      const off = discovery.on('update', (set) => applySet(set));
      const detach = () => {
        off();
        attached.delete(detach);
      };
      attached.add(detach);
      return detach;
    },
    removeSource: (source) => applySet({ source, endpoints: [], skipped: [], at: clock.now() }),
    servers: () => [...byServer.keys()].sort(),
    replicas: (server) =>
      [...(byServer.get(server) ?? [])].map((id) => view(replicas.get(id) as MutableReplica)),
    replica: (id) => {
      const entry = replicas.get(id);
      return entry ? view(entry) : undefined;
    },
    snapshot: () => ({
      at: clock.now(),
      servers: registry.servers().map((name) => ({
        name,
        replicas: registry.replicas(name).map((entry) => ({
          id: entry.descriptor.id,
          source: entry.source,
          transport: describeTransport(entry.descriptor.transport),
          tags: entry.descriptor.tags ?? [],
          weight: entry.descriptor.weight ?? 1,
        })),
      })),
    }),
    on: events.on,
    close: () => {
      for (const detach of [...attached]) detach();
      events.removeAllListeners();
    },
  };
  return registry;
}
