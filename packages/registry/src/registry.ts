import {
  type CapabilityKind,
  type Clock,
  checkNumber,
  createEmitter,
  type DiscoveredSet,
  type Discovery,
  type Disposer,
  describeTransport,
  type EndpointDescriptor,
  InvalidOptionError,
  type ReplicaStatus,
  type StatusChange,
  systemClock,
} from '@mcpmx/core';
import {
  CapabilityIndex,
  capabilityKey,
  emptyCapabilities,
  type ServerCapabilitySet,
} from './capability-index.js';
import { emptyStats, type ReplicaStats, updateEwma } from './replica-stats.js';

export interface ReplicaEntry {
  readonly descriptor: EndpointDescriptor;
  /** The source that owns this entry. */
  readonly source: string;
  readonly status: ReplicaStatus;
  readonly statusReason: string;
  readonly stats: Readonly<ReplicaStats>;
}

export interface RegistryEvents {
  registered: { replica: EndpointDescriptor; source: string };
  unregistered: { replica: EndpointDescriptor; source: string };
  /** Weight, tags, metadata or transport of a replica changed. */
  updated: { replica: EndpointDescriptor; previous: EndpointDescriptor; source: string };
  'status-changed': Omit<StatusChange, 'error'>;
  'capabilities-changed': {
    server: string;
    kind: CapabilityKind;
    added: string[];
    removed: string[];
  };
  /** Two sources claimed one replica id; the first owner keeps it. */
  conflict: { replica: string; owner: string; claimant: string };
}

export interface RegistryOptions {
  clock?: Clock;
  /** Decay of the latency EWMA. Default 10000 ms. */
  latencyDecayMs?: number;
}

export interface RegistrySnapshot {
  at: number;
  servers: {
    name: string;
    capabilities: Record<CapabilityKind, number>;
    replicas: {
      id: string;
      source: string;
      transport: string;
      tags: readonly string[];
      weight: number;
      status: ReplicaStatus;
      statusReason: string;
      stats: ReplicaStats;
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
  status: ReplicaStatus;
  statusReason: string;
  stats: ReplicaStats;
  lastSampleAt: number | undefined;
}

/**
 * The live map of what can be called: logical servers, their replicas (with status and
 * stats) and their capabilities, fed by any number of sources. Each source owns the entries it
 * added; its updates arrive as whole sets and are applied as diffs, and a source never removes
 * another source's entries.
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
  setStatus(id: string, status: ReplicaStatus, reason: string): void;
  recordStart(id: string): void;
  recordEnd(id: string, outcome: { latencyMs: number; success: boolean }): void;
  capabilities(server: string): ServerCapabilitySet;
  setCapabilities<K extends CapabilityKind>(
    server: string,
    kind: K,
    items: ServerCapabilitySet[K],
  ): void;
  /** Servers that offer the tool, prompt, resource URI or template: one Map read. */
  lookup(kind: CapabilityKind, key: string): string[];
  snapshot(): RegistrySnapshot;
  on: ReturnType<typeof createEmitter<RegistryEvents>>['on'];
  /** Detaches every source and listener. */
  close(): void;
}

const STATUSES = new Set<ReplicaStatus>(['unknown', 'connecting', 'up', 'degraded', 'down']);

/**
 * Creates a registry. Status and stats calls for an id that is not (or no longer) registered
 * are ignored: pools and sources race, and a late event for a removed replica is normal.
 */
export function createRegistry(options: RegistryOptions = {}): Registry {
  const clock = options.clock ?? systemClock;
  const decayMs = checkNumber('latencyDecayMs', options.latencyDecayMs ?? 10_000, {
    min: 0,
    exclusiveMin: true,
  });
  const events = createEmitter<RegistryEvents>();
  const replicas = new Map<string, MutableReplica>();
  const bySource = new Map<string, Set<string>>();
  /** Each source's latest set, so an id one source drops can pass to another that claims it. */
  const latest = new Map<string, Map<string, EndpointDescriptor>>();
  /** Logical server → its replica ids, so per-server reads do not scan every replica. */
  const byServer = new Map<string, Set<string>>();
  const index_ = (entry: MutableReplica, add: boolean) => {
    const server = entry.descriptor.server;
    const ids = byServer.get(server) ?? new Set<string>();
    if (add) ids.add(entry.descriptor.id);
    else ids.delete(entry.descriptor.id);
    if (ids.size === 0) byServer.delete(server);
    else byServer.set(server, ids);
  };
  const capabilities = new Map<string, ServerCapabilitySet>();
  const index = new CapabilityIndex();
  const attached = new Set<Disposer>();

  const view = (entry: MutableReplica): ReplicaEntry => ({
    descriptor: entry.descriptor,
    source: entry.source,
    status: entry.status,
    statusReason: entry.statusReason,
    stats: { ...entry.stats },
  });

  const serverHasReplicas = (server: string) => byServer.has(server);

  const dropServerIfEmpty = (server: string) => {
    if (serverHasReplicas(server)) return;
    const current = capabilities.get(server);
    if (!current) return;
    for (const kind of ['tools', 'resources', 'resourceTemplates', 'prompts'] as const) {
      if (current[kind].length > 0) registry.setCapabilities(server, kind, []);
    }
    capabilities.delete(server);
  };

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
      index_(entry, false);
      result.removed.push(id);
      events.emit('unregistered', { replica: entry.descriptor, source: set.source });
      dropServerIfEmpty(entry.descriptor.server);
    }
    for (const [id, descriptor] of incoming) {
      const existing = replicas.get(id);
      if (existing && existing.source !== set.source) {
        events.emit('conflict', { replica: id, owner: existing.source, claimant: set.source });
        continue;
      }
      if (!existing) {
        const entry: MutableReplica = {
          descriptor,
          source: set.source,
          status: 'unknown',
          statusReason: 'registered',
          stats: emptyStats(),
          lastSampleAt: undefined,
        };
        replicas.set(id, entry);
        index_(entry, true);
        owned.add(id);
        result.added.push(id);
        events.emit('registered', { replica: descriptor, source: set.source });
        continue;
      }
      if (JSON.stringify(existing.descriptor) !== JSON.stringify(descriptor)) {
        const previous = existing.descriptor;
        if (previous.server !== descriptor.server) {
          index_(existing, false);
          existing.descriptor = descriptor;
          index_(existing, true);
          dropServerIfEmpty(previous.server);
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
    servers: () =>
      [...new Set([...replicas.values()].map((entry) => entry.descriptor.server))].sort(),
    replicas: (server) =>
      [...replicas.values()].filter((entry) => entry.descriptor.server === server).map(view),
    replica: (id) => {
      const entry = replicas.get(id);
      return entry ? view(entry) : undefined;
    },
    setStatus: (id, status, reason) => {
      if (!STATUSES.has(status)) {
        throw new InvalidOptionError(
          'status',
          '"unknown", "connecting", "up", "degraded" or "down"',
          status,
        );
      }
      const entry = replicas.get(id);
      if (!entry) return;
      entry.statusReason = reason;
      if (entry.status === status) return;
      const from = entry.status;
      entry.status = status;
      events.emit('status-changed', {
        server: entry.descriptor.server,
        replica: id,
        from,
        to: status,
        reason,
        at: clock.now(),
      });
    },
    recordStart: (id) => {
      const entry = replicas.get(id);
      if (entry) entry.stats.inFlight++;
    },
    recordEnd: (id, outcome) => {
      const entry = replicas.get(id);
      if (!entry) return;
      const now = clock.now();
      entry.stats.inFlight = Math.max(0, entry.stats.inFlight - 1);
      if (outcome.success) entry.stats.successes++;
      else entry.stats.errors++;
      entry.stats.lastLatencyMs = outcome.latencyMs;
      entry.stats.ewmaLatencyMs = updateEwma(
        entry.stats.ewmaLatencyMs,
        entry.lastSampleAt,
        outcome.latencyMs,
        now,
        decayMs,
      );
      entry.lastSampleAt = now;
    },
    capabilities: (server) => capabilities.get(server) ?? emptyCapabilities(),
    setCapabilities: (server, kind, items) => {
      const current = capabilities.get(server) ?? emptyCapabilities();
      const before = current[kind].map((item) => capabilityKey(kind, item));
      const after = items.map((item) => capabilityKey(kind, item));
      capabilities.set(server, { ...current, [kind]: items });
      const { added, removed } = index.replace(kind, server, before, after);
      if (added.length > 0 || removed.length > 0) {
        events.emit('capabilities-changed', { server, kind, added, removed });
      }
    },
    lookup: (kind, key) => index.lookup(kind, key),
    snapshot: () => ({
      at: clock.now(),
      servers: registry.servers().map((name) => {
        const caps = registry.capabilities(name);
        return {
          name,
          capabilities: {
            tools: caps.tools.length,
            resources: caps.resources.length,
            resourceTemplates: caps.resourceTemplates.length,
            prompts: caps.prompts.length,
          },
          replicas: registry.replicas(name).map((entry) => ({
            id: entry.descriptor.id,
            source: entry.source,
            transport: describeTransport(entry.descriptor.transport),
            tags: entry.descriptor.tags ?? [],
            weight: entry.descriptor.weight ?? 1,
            status: entry.status,
            statusReason: entry.statusReason,
            stats: { ...entry.stats },
          })),
        };
      }),
    }),
    on: events.on,
    close: () => {
      for (const detach of [...attached]) detach();
      events.removeAllListeners();
    },
  };
  return registry;
}
