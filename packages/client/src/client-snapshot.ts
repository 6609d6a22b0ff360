import {
  type BreakerState,
  type CapabilityKind,
  describeTransport,
  type ReplicaStatus,
  type TelemetrySnapshot,
} from '@mcpmx/core';
import type { CatalogState, ListSnapshot } from './catalog/catalog-state.js';
import type { ClientState } from './client-lifecycle.js';
import type { ReplicaStats } from './routing/replica-stats.js';
import type { RouteTable } from './routing/route-table.js';

/** One replica, as status pages show it: plain JSON, without secrets. */
export interface ReplicaSnapshot {
  id: string;
  source: string;
  /** A secret-free label: `stdio:<command>` or `<kind>:<scheme>://<host><path>`. */
  transport: string;
  tags: readonly string[];
  weight: number;
  status: ReplicaStatus;
  statusReason: string;
  lastError?: string;
  breaker: BreakerState;
  sessions: { open: number; connecting: number };
  /** Requests in flight on this replica, and calls waiting for a slot (its concurrency limit). */
  inFlight: number;
  queued: number;
  stats: ReplicaStats;
}

export interface ServerSnapshot {
  name: string;
  /** Items per kind in the server's lists. */
  capabilities: Record<CapabilityKind, number>;
  /** How each list stands: ok, failed (serving its last good items), unsupported or pending. */
  lists: Record<CapabilityKind, ListSnapshot>;
  replicas: ReplicaSnapshot[];
  /** Filter patterns and tool overrides of the server's settings that matched nothing. */
  warnings: readonly string[];
}

export interface ClientSnapshot {
  at: number;
  state: ClientState;
  servers: ServerSnapshot[];
}

export function buildSnapshot(
  routes: RouteTable,
  catalog: CatalogState,
  at: number,
  state: ClientState,
): ClientSnapshot {
  return {
    at,
    state,
    servers: routes.servers().map((name) => {
      const lists = catalog.snapshot(name);
      return {
        name,
        capabilities: {
          tools: lists.tools.items,
          resources: lists.resources.items,
          resourceTemplates: lists.resourceTemplates.items,
          prompts: lists.prompts.items,
        },
        lists,
        warnings: catalog.policyWarnings(name),
        replicas: [...(routes.get(name)?.replicas.values() ?? [])].map((replica) => {
          const pool = replica.pool.stats();
          return {
            id: replica.id,
            source: replica.endpoint.source ?? 'unknown',
            transport: describeTransport(replica.endpoint.transport),
            tags: replica.endpoint.tags ?? [],
            weight: replica.weight,
            status: pool.status,
            statusReason: replica.statusReason,
            ...(replica.lastError || pool.lastError
              ? { lastError: replica.lastError ?? pool.lastError }
              : {}),
            breaker: replica.breaker.state,
            sessions: { open: pool.sessions, connecting: pool.connecting },
            inFlight: replica.limit.inFlight,
            queued: replica.limit.queued,
            stats: replica.counters.snapshot(),
          };
        }),
      };
    }),
  };
}

/** Point-in-time gauges for metrics, read at scrape time. */
export function buildTelemetry(routes: RouteTable): TelemetrySnapshot {
  const replicas: TelemetrySnapshot['replicas'][number][] = [];
  for (const route of routes.all()) {
    for (const replica of route.replicas.values()) {
      const pool = replica.pool.stats();
      replicas.push({
        server: route.server,
        replica: replica.id,
        status: pool.status,
        breaker: replica.breaker.state,
        sessions: { open: pool.sessions, connecting: pool.connecting },
        inFlight: replica.limit.inFlight,
      });
    }
  }
  return { replicas };
}
