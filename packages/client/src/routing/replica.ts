import type {
  Breaker,
  Disposer,
  EndpointDescriptor,
  ReplicaStatus,
  SessionPool,
} from '@mcpmx/core';
import type { ConcurrencyLimit } from './policies/concurrency-limit.js';
import { ReplicaCounters } from './replica-stats.js';

/**
 * One replica of a logical server, the single owner of its live facts: its pool (sessions and
 * status), its breaker, its concurrency limit (requests in flight and queued) and its counters.
 * Everyone else reads them here.
 */
export class Replica {
  readonly id: string;
  readonly server: string;
  readonly counters = new ReplicaCounters();
  /** Why the pool last changed status. */
  statusReason = 'registered';
  /** The last error an attempt on this replica failed with, for NoHealthyReplicaError. */
  lastError: string | undefined;
  /** Listeners on the pool, removed when the replica goes. */
  readonly subscriptions: Disposer[] = [];

  constructor(
    public endpoint: EndpointDescriptor,
    readonly pool: SessionPool,
    readonly breaker: Breaker,
    readonly limit: ConcurrencyLimit,
  ) {
    this.id = endpoint.id;
    this.server = endpoint.server;
  }

  get status(): ReplicaStatus {
    return this.pool.status;
  }

  /** Requests in flight on this replica (its concurrency limit counts them), for balancers. */
  get inFlight(): number {
    return this.limit.inFlight;
  }

  /** For weighted balancers. */
  get weight(): number {
    return this.endpoint.weight ?? 1;
  }
}
