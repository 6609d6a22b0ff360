import type { ReplicaStatus } from './status.js';

/** What a balancer sees of a replica. */
export interface BalancerCandidate {
  readonly id: string;
  /** Relative weight, default 1. */
  readonly weight?: number;
  /** Health. `down` candidates are unavailable and are picked only if nothing else is. */
  readonly status?: ReplicaStatus;
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
 * A pick strategy. Pure and synchronous: no I/O. `onStart`/`onEnd` report each request
 * so load-aware strategies can track in-flight counts and latency.
 */
export interface Balancer {
  readonly name: string;
  /** Returns one of `candidates`, or undefined when the list is empty. */
  pick<C extends BalancerCandidate>(candidates: readonly C[], context?: PickContext): C | undefined;
  onStart(id: string): void;
  onEnd(id: string, outcome: RequestOutcome): void;
  /** Forget state kept for an endpoint that left. */
  remove(id: string): void;
}
