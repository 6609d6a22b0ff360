import type { ReplicaStatus } from './status.js';

/** What a balancer sees of a replica. */
export interface BalancerCandidate {
  readonly id: string;
  /** Relative weight, default 1. */
  readonly weight?: number;
  /** Health. `down` candidates are unavailable and are picked only if nothing else is. */
  readonly status?: ReplicaStatus;
  /**
   * Requests in flight on it now, as its owner counts them (the client's per-replica
   * concurrency limit). Load-aware strategies read it here rather than count on their own, so
   * load has one owner. Absent means 0.
   */
  readonly inFlight?: number;
}

export interface PickContext {
  /** Sticky key: calls with the same key go to the same candidate while it is present. */
  affinityKey?: string;
}

export interface RequestOutcome {
  latencyMs: number;
  success: boolean;
}

/**
 * A pick strategy. Pure and synchronous: no I/O. Load comes with each candidate (`inFlight`);
 * `onEnd` reports each finished request, so latency-aware strategies can learn from it.
 */
export interface Balancer {
  readonly name: string;
  /** Returns one of `candidates`, or undefined when the list is empty. */
  pick<C extends BalancerCandidate>(candidates: readonly C[], context?: PickContext): C | undefined;
  onEnd(id: string, outcome: RequestOutcome): void;
  /** Forget state kept for an endpoint that left. */
  remove(id: string): void;
}
