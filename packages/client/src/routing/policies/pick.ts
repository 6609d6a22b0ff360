import { CircuitOpenError, NoHealthyReplicaError } from '@mcpmx/core';
import type { CallEnvironment } from '../attempt-outcome.js';
import type { CallContext, Next, Policy, RouteParts } from '../call-context.js';
import type { Replica } from '../replica.js';
import { GATE_REFUSED, probeSettled } from './breaker-gate.js';
import { failed } from './retry.js';

/**
 * The pick policy: chooses the replica for one attempt, then runs the rest of the path on it.
 * It drops excluded (this call failed on them) and down replicas, ejected ones (outlier
 * detection keeps all of them in panic), and those whose breaker is open or isolated, then asks
 * the balancer (the consistent-hash one when the call has an affinity key). A half-open replica
 * with a probe to spare goes first, so a recovering replica is probed rather than starved by
 * its penalised latency. When the breaker gate refuses the choice, the next one is tried.
 *
 * Throws NoHealthyReplicaError, listing every replica's state and last error, when nothing is
 * eligible, and CircuitOpenError when breakers refused every eligible replica; when they
 * refused only because half-open probes are in flight, it waits (within the deadline) for a
 * probe to settle and picks again.
 */
export function createPickPolicy(environment: CallEnvironment): Policy {
  const pickAndRun = <P, T>(context: CallContext<P, T>, next: Next): Promise<T> => {
    const { route } = context;
    const previous = context.replica;
    const pinned = context.request.replica;
    const candidates = pinned === undefined ? route.replicas.size : 1;
    if (context.excluded !== undefined && context.excluded.size >= candidates) {
      context.excluded.clear(); // only failed replicas are left: try them again
    }
    const only = route.only;
    if (pinned === undefined && only !== undefined) {
      // One replica: nothing to balance; the gate asks its breaker. The fast path of most calls.
      if (isLive(context, only) && !route.outliers.isEjected(only.id)) {
        context.replica = only;
        try {
          return next(context);
        } catch (refusal) {
          if (refusal !== GATE_REFUSED) throw refusal;
          context.replica = previous;
        }
      }
    }
    const all =
      pinned === undefined ? [...route.replicas.values()] : [route.replicas.get(pinned) as Replica];
    const live = all.filter((replica) => isLive(context, replica));
    let choices = route.outliers.eligible(live).filter((replica) => !isClosedToCalls(replica));
    // Ejection is advice, not a refusal: when the replicas it leaves are all open (or it left
    // none), an ejected replica whose breaker admits calls takes them rather than no replica
    // (the panic mode of Envoy's outlier detection, extended to the breakers).
    if (choices.length === 0) choices = live.filter((replica) => !isClosedToCalls(replica));
    if (choices.length === 0) {
      const open = live.filter((replica) => replica.breaker.state === 'open');
      if (open.length > 0 && open.length === live.length) throw circuitOpen(route, open);
      throw noHealthyReplica(context, all);
    }
    const withAffinity = context.request.affinityKey !== undefined;
    const ordered: Replica[] = withAffinity
      ? []
      : choices.filter((replica) => replica.breaker.state === 'half-open');
    const balancer = withAffinity ? route.affinity : route.balancer;
    const remaining = choices.slice();
    for (;;) {
      const choice =
        ordered.shift() ??
        balancer.pick(remaining, { affinityKey: context.request.affinityKey }) ??
        undefined;
      if (choice === undefined) break;
      if (previous !== undefined && previous !== choice) {
        environment.emit('failover', {
          server: route.server,
          from: previous.id,
          to: choice.id,
          method: context.request.method,
          target: context.request.target,
          at: environment.clock.now(),
        });
      }
      context.replica = choice;
      try {
        return next(context);
      } catch (refusal) {
        if (refusal !== GATE_REFUSED) throw refusal;
        remaining.splice(remaining.indexOf(choice), 1);
        context.replica = previous;
      }
    }
    const refusal = circuitOpen(route, choices);
    const probing = choices.filter((replica) => replica.breaker.state === 'half-open');
    const left = context.deadline - environment.clock.now();
    if (probing.length === 0 || left <= 0 || context.request.signal?.aborted) throw refusal;
    context.waited = true;
    return probeSettled(probing, environment.clock, left, context.request.signal).then(() => {
      try {
        if (context.request.signal?.aborted) throw context.cancelled();
        return pickAndRun(context, next);
      } catch (error) {
        return failed(context, error);
      }
    });
  };
  return pickAndRun;
}

/** Not excluded by this call, and not down. */
function isLive<P, T>(context: CallContext<P, T>, replica: Replica): boolean {
  return context.excluded?.has(replica.id) !== true && replica.status !== 'down';
}

function isClosedToCalls(replica: Replica): boolean {
  const state = replica.breaker.state;
  return state === 'open' || state === 'isolated';
}

function circuitOpen(route: RouteParts, replicas: readonly Replica[]): CircuitOpenError {
  const retryAfter = Math.min(
    ...replicas.map((replica) => replica.breaker.retryAfterMs() ?? Number.POSITIVE_INFINITY),
  );
  return new CircuitOpenError(
    `Every replica of "${route.server}" has an open circuit breaker (${replicas
      .map((replica) => replica.id)
      .join(', ')}); the call was not sent.${
      Number.isFinite(retryAfter) ? ` Retry in ${Math.ceil(retryAfter)} ms.` : ''
    }`,
    { server: route.server, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter : undefined },
  );
}

function noHealthyReplica<P, T>(
  context: CallContext<P, T>,
  all: readonly Replica[],
): NoHealthyReplicaError {
  return new NoHealthyReplicaError(
    context.route.server,
    all.map((replica) => ({
      replica: replica.id,
      status: describeState(context, replica),
      lastError: replica.lastError,
    })),
  );
}

function describeState<P, T>(context: CallContext<P, T>, replica: Replica): string {
  if (replica.status === 'down') return 'down';
  if (context.excluded?.has(replica.id)) return 'failed this call';
  if (context.route.outliers.isEjected(replica.id)) return 'ejected';
  if (replica.breaker.state !== 'closed') return `breaker ${replica.breaker.state}`;
  return replica.status;
}
