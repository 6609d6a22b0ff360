import type {
  CapabilityKind,
  Clock,
  EndpointDescriptor,
  ReplicaStatus,
  StatusChange,
} from '@mcpmx/core';
import type { CapabilityDiff } from './capability-index.js';
import type { ReplicaStatsSnapshot } from './replica-stats.js';

export interface RegistryOptions {
  /** Default: core's systemClock. */
  clock?: Clock;
  /** τ of the time-weighted latency EWMA, in ms. Default 10 000 (Finagle/Linkerd peak EWMA). */
  latencyDecayMs?: number;
}

/** A replica id that two sources both claim. The first owner keeps it. */
export interface SourceConflict {
  replica: string;
  /** The source that owns the entry. */
  owner: string;
  /** The source whose claim was not applied. */
  claimant: string;
}

/** What {@link Registry.applySet} did. Ids are replica ids. */
export interface ApplyResult {
  source: string;
  added: string[];
  removed: string[];
  changed: string[];
  conflicts: SourceConflict[];
}

export interface RegisteredEvent {
  server: string;
  replica: EndpointDescriptor;
  /** True when this replica is the server's first: the logical server appeared. */
  serverAdded: boolean;
}

export interface UnregisteredEvent {
  server: string;
  replica: EndpointDescriptor;
  /** True when this was the server's last replica: the server and its catalog are gone. */
  serverRemoved: boolean;
}

export interface ReplicaChangedEvent {
  server: string;
  previous: EndpointDescriptor;
  replica: EndpointDescriptor;
}

export interface CapabilitiesChangedEvent extends CapabilityDiff {
  server: string;
  kind: CapabilityKind;
}

export interface RegistryEvents {
  registered: RegisteredEvent;
  unregistered: UnregisteredEvent;
  /** A replica's descriptor (transport, tags, weight, metadata, owner) changed in place. */
  'replica-changed': ReplicaChangedEvent;
  'status-changed': StatusChange;
  'capabilities-changed': CapabilitiesChangedEvent;
  /** Two sources claim the same replica id; the later claim is not applied. */
  conflict: SourceConflict;
  /** An attached discovery source reported an error; its last good set stays in force. */
  'source-error': { source: string; error: Error };
}

/** A replica as a status page sees it. Plain JSON. */
export interface ReplicaSnapshot {
  id: string;
  /** Secret-free transport label, e.g. `streamable-http:https://host/mcp`. */
  transport: string;
  tags: string[];
  weight: number;
  metadata: Record<string, string>;
  source: string;
  status: ReplicaStatus;
  statusReason: string;
  statusSince: number;
  stats: ReplicaStatsSnapshot;
}

export interface ServerSnapshot {
  name: string;
  replicas: ReplicaSnapshot[];
  /** Names (uris for resources) per capability kind. */
  capabilities: Record<CapabilityKind, string[]>;
}

export interface RegistrySnapshot {
  at: number;
  servers: ServerSnapshot[];
  /** Replica ids claimed by more than one source, as of now. */
  conflicts: SourceConflict[];
}
