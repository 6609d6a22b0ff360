import type {
  Balancer,
  Breaker,
  Disposer,
  EndpointDescriptor,
  ListChangedKind,
  OutlierDetector,
  SessionPool,
  StatusChange,
} from '@mcpmx/core';
import type { ReplicaSet } from './pick-replica.js';
import type { Replica } from './replica.js';

/** How the client builds the parts of a replica set. Every one is replaceable. */
export interface ReplicaFactories {
  createPool(endpoint: EndpointDescriptor): SessionPool;
  createBreaker(endpoint: EndpointDescriptor): Breaker;
  createBalancer(server: string): Balancer;
  createAffinityBalancer(server: string): Balancer;
  createOutlierDetector(server: string): OutlierDetector;
}

export interface ReplicaSetsEvents {
  onStatus(change: StatusChange): void;
  onListChanged(server: string, replica: string, kind: ListChangedKind): void;
  onReplicasChanged(server: string): void;
}

interface MutableSet extends ReplicaSet {
  readonly replicas: Map<string, Replica>;
}

/**
 * The live replicas of every logical server: one pool and one breaker per endpoint, one
 * balancer, affinity balancer and outlier detector per server. Adding an endpoint that exists
 * with the same transport keeps its pool (so its sessions survive a discovery refresh);
 * removing one closes its pool.
 */
export class ReplicaSets {
  private readonly sets = new Map<string, MutableSet>();
  private readonly subscriptions = new Map<string, Disposer[]>();

  constructor(
    private readonly factories: ReplicaFactories,
    private readonly events: ReplicaSetsEvents,
  ) {}

  servers(): string[] {
    return [...this.sets.keys()];
  }

  get(server: string): ReplicaSet | undefined {
    return this.sets.get(server);
  }

  replica(id: string): Replica | undefined {
    for (const set of this.sets.values()) {
      const replica = set.replicas.get(id);
      if (replica) return replica;
    }
    return undefined;
  }

  /** Adds or updates one endpoint. */
  upsert(endpoint: EndpointDescriptor): Replica {
    const set = this.setFor(endpoint.server);
    const existing = set.replicas.get(endpoint.id);
    if (existing && sameTransport(existing.endpoint, endpoint)) {
      const updated: Replica = { ...existing, endpoint, weight: endpoint.weight ?? 1 };
      set.replicas.set(endpoint.id, updated);
      return updated;
    }
    if (existing) void this.remove(endpoint.id);
    const pool = this.factories.createPool(endpoint);
    const replica: Replica = {
      id: endpoint.id,
      server: endpoint.server,
      endpoint,
      pool,
      breaker: this.factories.createBreaker(endpoint),
      weight: endpoint.weight ?? 1,
      lastError: undefined,
    };
    set.replicas.set(endpoint.id, replica);
    this.subscriptions.set(endpoint.id, [
      pool.on('status', (change) => {
        const current = set.replicas.get(endpoint.id);
        if (change.to === 'down' && current) current.lastError = change.reason;
        // A replica that reconnected is a new peer: its breaker admits a probe now rather than
        // when its open period ends, and the balancer forgets the latency penalties of its
        // failures (peak-EWMA would otherwise keep it out of every pick for tens of seconds).
        if (change.to === 'up' && change.from !== 'up' && current) {
          current.breaker.allowProbe?.();
          set.balancer.remove(endpoint.id);
        }
        this.events.onStatus(change);
      }),
      pool.on('list-changed', ({ kind }) =>
        this.events.onListChanged(endpoint.server, endpoint.id, kind),
      ),
    ]);
    this.events.onReplicasChanged(endpoint.server);
    return replica;
  }

  /** Removes one endpoint and closes its pool. */
  async remove(id: string): Promise<void> {
    for (const [server, set] of this.sets) {
      const replica = set.replicas.get(id);
      if (!replica) continue;
      set.replicas.delete(id);
      for (const dispose of this.subscriptions.get(id) ?? []) dispose();
      this.subscriptions.delete(id);
      set.balancer.remove(id);
      set.affinity.remove(id);
      set.outliers.remove(id);
      if (set.replicas.size === 0) {
        set.outliers.close();
        this.sets.delete(server);
      }
      this.events.onReplicasChanged(server);
      await replica.pool.close();
      return;
    }
  }

  async close(): Promise<void> {
    const ids = [...this.sets.values()].flatMap((set) => [...set.replicas.keys()]);
    await Promise.all(ids.map((id) => this.remove(id)));
  }

  private setFor(server: string): MutableSet {
    let set = this.sets.get(server);
    if (!set) {
      set = {
        server,
        replicas: new Map(),
        balancer: this.factories.createBalancer(server),
        affinity: this.factories.createAffinityBalancer(server),
        outliers: this.factories.createOutlierDetector(server),
      };
      this.sets.set(server, set);
    }
    return set;
  }
}

function sameTransport(a: EndpointDescriptor, b: EndpointDescriptor): boolean {
  return JSON.stringify(a.transport) === JSON.stringify(b.transport);
}
