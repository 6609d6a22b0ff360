import {
  type CapabilityKind,
  checkNumber,
  createEmitter,
  type DiscoveredSet,
  type Discovery,
  type Disposer,
  describeTransport,
  type EndpointDescriptor,
  type EventSource,
  type ReplicaStatus,
  systemClock,
} from '@mcpmx/core';
import { CAPABILITY_KINDS, CapabilityIndex, type CapabilityItems } from './capability-index.js';
import { UnknownServerError } from './errors.js';
import type {
  ApplyResult,
  RegistryEvents,
  RegistryOptions,
  RegistrySnapshot,
  SourceConflict,
} from './registry-types.js';
import { type ReplicaStats, type RequestEnd, ReplicaStats as Stats } from './replica-stats.js';

const DEFAULT_LATENCY_DECAY_MS = 10_000;
const STATUSES: ReadonlySet<string> = new Set(['unknown', 'connecting', 'up', 'degraded', 'down']);

interface ReplicaEntry {
  descriptor: EndpointDescriptor;
  status: ReplicaStatus;
  reason: string;
  since: number;
  stats: ReplicaStats;
}

/** The live map of logical servers, their replicas, health, stats and capabilities. */
export interface Registry extends EventSource<RegistryEvents> {
  /**
   * Applies a source's whole current set as a diff against that source's previous set. A
   * source never removes another source's entries; an id another source owns is reported as
   * a conflict and not applied (it takes over if the owner drops it).
   */
  applySet(set: Pick<DiscoveredSet, 'source' | 'endpoints'>): ApplyResult;
  /** Removes every entry `source` added, as if it had sent an empty set. */
  removeSource(source: string): ApplyResult;
  /** Feeds the registry from `discovery`: applies its current set now and each update. */
  attach(discovery: Discovery): Disposer;
  /** Stops listening to `discovery` and, unless `keepEntries`, removes its entries. */
  detach(discovery: Discovery, options?: { keepEntries?: boolean }): void;
  /** Logical server names, in registration order. */
  servers(): string[];
  /** The replicas of `server` (empty when unknown). */
  replicas(server: string): EndpointDescriptor[];
  replica(id: string): EndpointDescriptor | undefined;
  status(id: string): ReplicaStatus | undefined;
  /** Sets a replica's status; emits 'status-changed' when it differs. */
  setStatus(id: string, status: ReplicaStatus, reason: string, error?: unknown): void;
  /** Marks a request to replica `id` as started (in-flight + 1). */
  recordStart(id: string): void;
  /** Marks a request as ended: counts it and feeds its latency into the EWMA. */
  recordEnd(id: string, end: RequestEnd): void;
  /** Replaces `server`'s catalog of `kind`; emits 'capabilities-changed' when it differs. */
  setCapabilities<K extends CapabilityKind>(
    server: string,
    kind: K,
    items: readonly CapabilityItems[K][],
  ): void;
  capabilities<K extends CapabilityKind>(server: string, kind: K): CapabilityItems[K][];
  /** Servers offering a tool, prompt or template `name` (or resource `uri`). O(1) lookup. */
  serversFor(kind: CapabilityKind, name: string): string[];
  /** The first server that lists resource `uri`, if any. */
  serverForResource(uri: string): string | undefined;
  /** Plain-JSON state for status pages. */
  snapshot(): RegistrySnapshot;
  /** Detaches every source and removes all listeners. Idempotent. Data stays readable. */
  close(): void;
}

/** Creates an empty registry. */
export function createRegistry(options: RegistryOptions = {}): Registry {
  const clock = options.clock ?? systemClock;
  const decayMs = checkNumber(
    'latencyDecayMs',
    options.latencyDecayMs ?? DEFAULT_LATENCY_DECAY_MS,
    { min: 0, exclusiveMin: true },
  );
  const events = createEmitter<RegistryEvents>();
  const replicas = new Map<string, ReplicaEntry>();
  const servers = new Map<string, Set<string>>();
  /** Each source's latest set, by replica id. Map order is the order sources first appeared. */
  const claims = new Map<string, Map<string, EndpointDescriptor>>();
  const index = new CapabilityIndex();
  const attached = new Map<Discovery, Disposer>();

  const entry = (id: string): ReplicaEntry => {
    const found = replicas.get(id);
    if (!found) throw new UnknownServerError({ replica: id });
    return found;
  };

  const clearCapabilities = (server: string) => {
    for (const kind of index.kindsOf(server)) {
      const diff = index.set(server, kind, []);
      events.emit('capabilities-changed', { server, kind, ...diff });
    }
  };

  const add = (descriptor: EndpointDescriptor) => {
    let members = servers.get(descriptor.server);
    const serverAdded = !members;
    if (!members) {
      members = new Set();
      servers.set(descriptor.server, members);
    }
    members.add(descriptor.id);
    replicas.set(descriptor.id, {
      descriptor,
      status: 'unknown',
      reason: 'registered',
      since: clock.now(),
      stats: new Stats(decayMs),
    });
    events.emit('registered', { server: descriptor.server, replica: descriptor, serverAdded });
  };

  const remove = (descriptor: EndpointDescriptor) => {
    replicas.delete(descriptor.id);
    const members = servers.get(descriptor.server);
    members?.delete(descriptor.id);
    const serverRemoved = members?.size === 0;
    if (serverRemoved) {
      servers.delete(descriptor.server);
      clearCapabilities(descriptor.server);
    }
    events.emit('unregistered', { server: descriptor.server, replica: descriptor, serverRemoved });
  };

  /** Brings replica `id` in line with the claims; returns what happened to it. */
  const reconcile = (id: string): 'added' | 'removed' | 'changed' | undefined => {
    const current = replicas.get(id);
    let owner = current?.descriptor.source;
    if (owner === undefined || !claims.get(owner)?.has(id)) {
      owner = undefined;
      for (const [source, set] of claims) {
        if (set.has(id)) {
          owner = source;
          break;
        }
      }
    }
    const wanted = owner === undefined ? undefined : claims.get(owner)?.get(id);
    if (!current && !wanted) return undefined;
    if (current && !wanted) {
      remove(current.descriptor);
      return 'removed';
    }
    if (!current && wanted) {
      add(wanted);
      return 'added';
    }
    if (!current || !wanted || sameDescriptor(current.descriptor, wanted)) return undefined;
    if (current.descriptor.server !== wanted.server) {
      remove(current.descriptor);
      add(wanted);
      return 'changed';
    }
    const previous = current.descriptor;
    current.descriptor = wanted;
    events.emit('replica-changed', { server: wanted.server, previous, replica: wanted });
    return 'changed';
  };

  const applySet: Registry['applySet'] = (set) => {
    const source = set.source;
    const result: ApplyResult = { source, added: [], removed: [], changed: [], conflicts: [] };
    const next = new Map<string, EndpointDescriptor>();
    for (const endpoint of set.endpoints) {
      if (next.has(endpoint.id)) {
        result.conflicts.push({ replica: endpoint.id, owner: source, claimant: source });
        continue;
      }
      next.set(endpoint.id, { ...endpoint, source });
    }
    const previous = claims.get(source);
    if (next.size > 0) claims.set(source, next);
    else claims.delete(source);
    const touched = new Set([...(previous?.keys() ?? []), ...next.keys()]);
    for (const id of touched) {
      const outcome = reconcile(id);
      if (outcome) result[outcome].push(id);
    }
    for (const id of next.keys()) {
      const owner = replicas.get(id)?.descriptor.source;
      if (owner !== undefined && owner !== source) {
        result.conflicts.push({ replica: id, owner, claimant: source });
      }
    }
    for (const conflict of result.conflicts) events.emit('conflict', conflict);
    return result;
  };

  const currentConflicts = (): SourceConflict[] => {
    const conflicts: SourceConflict[] = [];
    for (const [claimant, set] of claims) {
      for (const id of set.keys()) {
        const owner = replicas.get(id)?.descriptor.source;
        if (owner !== undefined && owner !== claimant) {
          conflicts.push({ replica: id, owner, claimant });
        }
      }
    }
    return conflicts;
  };

  const detach: Registry['detach'] = (discovery, detachOptions = {}) => {
    attached.get(discovery)?.();
    attached.delete(discovery);
    if (!detachOptions.keepEntries) applySet({ source: discovery.id, endpoints: [] });
  };

  return {
    on: events.on,
    once: events.once,
    applySet,
    removeSource: (source) => applySet({ source, endpoints: [] }),
    attach(discovery) {
      if (attached.has(discovery)) return attached.get(discovery) as Disposer;
      const offUpdate = discovery.on('update', (set) => applySet(set));
      const offError = discovery.on('error', (payload) => events.emit('source-error', payload));
      let disposed = false;
      const dispose = () => {
        if (disposed) return;
        disposed = true;
        offUpdate();
        offError();
        if (attached.get(discovery) === dispose) attached.delete(discovery);
      };
      attached.set(discovery, dispose);
      const current = discovery.current();
      if (current) applySet(current);
      return dispose;
    },
    detach,
    servers: () => [...servers.keys()],
    replicas: (server) => [...(servers.get(server) ?? [])].map((id) => entry(id).descriptor),
    replica: (id) => replicas.get(id)?.descriptor,
    status: (id) => replicas.get(id)?.status,
    setStatus(id, status, reason, error) {
      if (!STATUSES.has(status)) {
        throw new TypeError(
          `status must be one of unknown, connecting, up, degraded, down (got ${String(status)})`,
        );
      }
      const replica = entry(id);
      if (replica.status === status) return;
      const from = replica.status;
      replica.status = status;
      replica.reason = reason;
      replica.since = clock.now();
      events.emit('status-changed', {
        server: replica.descriptor.server,
        replica: id,
        from,
        to: status,
        reason,
        ...(error !== undefined ? { error } : {}),
        at: replica.since,
      });
    },
    recordStart: (id) => entry(id).stats.recordStart(),
    recordEnd: (id, end) => entry(id).stats.recordEnd(end, clock.now()),
    setCapabilities(server, kind, items) {
      if (!servers.has(server)) throw new UnknownServerError({ server });
      if (!CAPABILITY_KINDS.includes(kind)) {
        throw new TypeError(`kind must be one of ${CAPABILITY_KINDS.join(', ')} (got ${kind})`);
      }
      const diff = index.set(server, kind, items);
      if (diff.added.length + diff.removed.length + diff.updated.length > 0) {
        events.emit('capabilities-changed', { server, kind, ...diff });
      }
    },
    capabilities: (server, kind) => index.get(server, kind),
    serversFor: (kind, name) => index.serversFor(kind, name),
    serverForResource: (uri) => index.serversFor('resources', uri)[0],
    snapshot: () => ({
      at: clock.now(),
      servers: [...servers].map(([name, ids]) => ({
        name,
        replicas: [...ids].map((id) => {
          const { descriptor, status, reason, since, stats } = entry(id);
          return {
            id,
            transport: describeTransport(descriptor.transport),
            tags: [...(descriptor.tags ?? [])],
            weight: descriptor.weight ?? 1,
            metadata: { ...descriptor.metadata },
            source: descriptor.source ?? '',
            status,
            statusReason: reason,
            statusSince: since,
            stats: stats.snapshot(),
          };
        }),
        capabilities: Object.fromEntries(
          CAPABILITY_KINDS.map((kind) => [
            kind,
            index
              .get(name, kind)
              .map((item) => ('uri' in item ? item.uri : (item as { name: string }).name)),
          ]),
        ) as Record<CapabilityKind, string[]>,
      })),
      conflicts: currentConflicts(),
    }),
    close() {
      for (const dispose of [...attached.values()]) dispose();
      attached.clear();
      events.removeAllListeners();
    },
  };
}

function sameDescriptor(a: EndpointDescriptor, b: EndpointDescriptor): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
