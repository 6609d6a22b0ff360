import {
  type Balancer,
  CircuitOpenError,
  NoHealthyReplicaError,
  type OutlierDetector,
} from '@mcpmx/core';
import type { Replica } from './replica.js';

/** What picking needs for one logical server. */
export interface ReplicaSet {
  readonly server: string;
  readonly replicas: ReadonlyMap<string, Replica>;
  readonly balancer: Balancer;
  /** Consistent-hash balancer for calls that carry an affinity key. */
  readonly affinity: Balancer;
  readonly outliers: OutlierDetector;
}

export interface PickOptions {
  affinityKey?: string;
  /** Replicas this call already failed on. */
  excluded?: ReadonlySet<string>;
}

/**
 * Chooses the replica for one attempt: drop excluded and down replicas, drop ejected ones
 * (the outlier detector keeps all of them in panic), drop those whose breaker is open or
 * isolated, then ask the balancer (the consistent-hash one when there is an affinity key).
 * The chosen replica's breaker must admit the call (half-open admits a bounded number of
 * probes); if it does not, the next choice is tried. A half-open replica with a probe to spare
 * takes the call before the balancer is asked (not for calls with an affinity key).
 *
 * Throws NoHealthyReplicaError, listing every replica's status and last error, when nothing is
 * eligible, and CircuitOpenError when breakers refused every eligible replica.
 */
export function pickReplica(set: ReplicaSet, options: PickOptions = {}): Replica {
  if (set.replicas.size === 1) {
    // One replica: nothing to balance; just check that it may take the call.
    const only = set.replicas.values().next().value as Replica;
    if (
      !options.excluded?.has(only.id) &&
      only.pool.status !== 'down' &&
      !set.outliers.isEjected(only.id) &&
      only.breaker.tryAcquire()
    ) {
      return only;
    }
  }
  const all = [...set.replicas.values()];
  const live = all.filter(
    (replica) => !options.excluded?.has(replica.id) && replica.pool.status !== 'down',
  );
  const admitted = set.outliers
    .eligible(live)
    .filter((replica) => replica.breaker.state !== 'open' && replica.breaker.state !== 'isolated');
  if (admitted.length === 0) {
    const open = live.filter((replica) => replica.breaker.state === 'open');
    if (open.length > 0 && open.length === live.length) throw circuitOpen(set.server, open);
    throw new NoHealthyReplicaError(
      set.server,
      all.map((replica) => ({
        replica: replica.id,
        status: describeState(set, replica, options.excluded),
        lastError: replica.lastError,
      })),
    );
  }
  // A half-open breaker needs a probe to close, and a load-aware balancer may never choose a
  // replica whose latency was penalised while it failed: without an affinity key, probes go
  // first. (One probe at a time, so a recovering replica is not flooded.)
  if (options.affinityKey === undefined) {
    for (const replica of admitted) {
      if (replica.breaker.state === 'half-open' && replica.breaker.tryAcquire()) return replica;
    }
  }
  const balancer = options.affinityKey !== undefined ? set.affinity : set.balancer;
  const candidates = admitted.map((replica) => ({
    id: replica.id,
    weight: replica.weight,
    status: replica.pool.status,
    replica,
  }));
  while (candidates.length > 0) {
    const choice = balancer.pick(candidates, { affinityKey: options.affinityKey });
    if (!choice) break;
    if (choice.replica.breaker.tryAcquire()) return choice.replica;
    candidates.splice(candidates.indexOf(choice), 1);
  }
  throw circuitOpen(set.server, admitted);
}

function circuitOpen(server: string, replicas: readonly Replica[]): CircuitOpenError {
  const retryAfter = Math.min(
    ...replicas.map((replica) => replica.breaker.retryAfterMs() ?? Number.POSITIVE_INFINITY),
  );
  return new CircuitOpenError(
    `Every replica of "${server}" has an open circuit breaker (${replicas
      .map((replica) => replica.id)
      .join(', ')}); the call was not sent.${
      Number.isFinite(retryAfter) ? ` Retry in ${Math.ceil(retryAfter)} ms.` : ''
    }`,
    { server, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter : undefined },
  );
}

function describeState(
  set: ReplicaSet,
  replica: Replica,
  excluded: ReadonlySet<string> | undefined,
): string {
  if (replica.pool.status === 'down') return 'down';
  if (excluded?.has(replica.id)) return 'failed this call';
  if (set.outliers.isEjected(replica.id)) return 'ejected';
  if (replica.breaker.state !== 'closed') return `breaker ${replica.breaker.state}`;
  return replica.pool.status;
}
