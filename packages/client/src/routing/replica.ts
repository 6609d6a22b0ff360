import type { Breaker, EndpointDescriptor, SessionPool } from '@mcpmx/core';

/** One replica as the router sees it: its pool of sessions and its breaker. */
export interface Replica {
  readonly id: string;
  readonly server: string;
  readonly endpoint: EndpointDescriptor;
  readonly pool: SessionPool;
  readonly breaker: Breaker;
  /** For weighted balancers. */
  readonly weight: number;
  /** The last error seen on this replica, for NoHealthyReplicaError. */
  lastError: string | undefined;
}
