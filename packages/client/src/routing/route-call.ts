import {
  type BackoffOptions,
  type Balancer,
  CancelledError,
  CircuitOpenError,
  type Clock,
  delay,
  type FailureClassifier,
  fullJitterDelay,
  McpmxError,
  type McpOperations,
  type Random,
  type RequestOptions,
  type RequestOutcome,
  type TelemetryEvents,
  wasNeverSent,
} from '@mcpmx/core';
import pRetry from 'p-retry';
import { type PickOptions, pickReplica, type ReplicaSet } from './pick-replica.js';
import type { Replica } from './replica.js';
import { mayRetry, type RetryFacts } from './retry-safety.js';

export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  backoff: Required<BackoffOptions>;
  /** Total time for all attempts and waits, in ms. */
  budgetMs: number;
}

/** What every call of one client shares; built once per client, not per call. */
export interface Router {
  retry: RetryPolicy;
  /** Decides whether an error counts against the replica's breaker and outlier stats. */
  isFailure: FailureClassifier;
  clock: Clock;
  random: Random;
  emit: <K extends keyof TelemetryEvents>(event: K, payload: TelemetryEvents[K]) => void;
  /** Whether anyone listens to `event`; payloads are built only when someone does. */
  wants?: (event: keyof TelemetryEvents) => boolean;
  /** Per-request accounting that must happen whether or not anyone listens (replica stats). */
  onRequest?: {
    start(replica: string): void;
    end(replica: string, outcome: RequestOutcome): void;
  };
}

/** One call to route. */
export interface RouteRequest<P, T> {
  set: ReplicaSet;
  method: string;
  target?: string;
  facts: RetryFacts;
  affinityKey?: string;
  signal?: AbortSignal;
  /** Passed to `send` as they are. */
  params: P;
  options?: RequestOptions;
  /**
   * Sends the request on the chosen replica, `via` its ready session (SessionPool.ready) or its
   * pool. Best made once, not per call: what differs per call is in `params` and `options`.
   */
  send: (
    via: McpOperations,
    params: P,
    options: RequestOptions | undefined,
    replica: Replica,
  ) => Promise<T>;
  /**
   * Feed this call's latency to the balancer. Default true; false for work that is not a
   * representative request (a whole-catalog fetch), so it does not skew latency estimates.
   */
  sampleLatency?: boolean;
}

/** The parts of a request that accounting and telemetry read. */
type RequestLabels = Pick<
  RouteRequest<unknown, unknown>,
  'set' | 'method' | 'target' | 'affinityKey' | 'sampleLatency'
>;

/** What one call keeps across its attempts. */
interface CallState {
  readonly started: number;
  /** Replicas this call failed on. */
  readonly excluded: Set<string>;
  readonly pickOptions: PickOptions;
  /** The replica of the last attempt, to report failovers. */
  previous: string | undefined;
}

const everything = () => true;

/**
 * Runs one call through the routing order: pick a healthy replica (outliers, breakers,
 * balancer), send it on that replica's pool, account the outcome, and on failure retry (on
 * another replica where there is one) only when mayRetry says it is safe: the tool is
 * read-only or idempotent, or the request provably never reached a server. Waits use full
 * jitter; the whole call stays within `retry.budgetMs`. Emits request, retry and failover
 * telemetry.
 *
 * Most calls succeed on the first replica picked, so that path is kept short: the pick is
 * synchronous; the request goes straight to the replica's ready session when its pool offers
 * one (no pool layer, no await before it); this function is the only async frame mcpmx adds
 * to it; and nothing of the retry machinery is built until an attempt fails.
 */
export async function routeCall<P, T>(router: Router, request: RouteRequest<P, T>): Promise<T> {
  const started = router.clock.now();
  let replica: Replica;
  try {
    replica = pickReplica(
      request.set,
      request.affinityKey === undefined ? NOTHING_EXCLUDED : { affinityKey: request.affinityKey },
    );
  } catch (error) {
    // Nothing free at once (breakers refuse, probes in flight): the general path waits and retries.
    return routeWithRetries(router, request, newCallState(request, started, undefined), error);
  }
  const { pool } = replica;
  const session = pool.ready?.();
  const balancer = balancerOf(request);
  begin(router, request, replica, balancer, started);
  let value: T | undefined;
  let answered = false;
  let error: unknown;
  try {
    value = await request.send(session ?? pool, request.params, request.options, replica);
    answered = true;
  } catch (thrown) {
    error = thrown;
  }
  if (!answered && session !== undefined && wasNeverSent(error)) {
    // The session closed just before the request went out: like the pool's own operations,
    // send it through the pool, which picks or opens another session.
    try {
      value = await request.send(pool, request.params, request.options, replica);
      answered = true;
    } catch (thrown) {
      error = thrown;
    }
  }
  if (answered) {
    succeeded(router, request, replica, balancer, started);
    return value as T;
  }
  const call = newCallState(request, started, replica.id);
  failed(router, request, replica, balancer, started, error, call.excluded);
  return routeWithRetries(router, request, call, error, true);
}

const NOTHING_EXCLUDED: PickOptions = {};

function newCallState(
  request: RequestLabels,
  started: number,
  previous: string | undefined,
): CallState {
  const excluded = new Set<string>();
  return {
    started,
    excluded,
    pickOptions:
      request.affinityKey === undefined
        ? { excluded }
        : { affinityKey: request.affinityKey, excluded },
    previous,
  };
}

/**
 * The rest of a call whose first attempt failed (`sent`) or found no replica to pick: further
 * attempts while mayRetry allows and the budget lasts, with full-jitter waits between them.
 */
async function routeWithRetries<P, T>(
  router: Router,
  request: RouteRequest<P, T>,
  call: CallState,
  firstError: unknown,
  sent = false,
): Promise<T> {
  const { set } = request;
  const { clock, emit } = router;
  const withinBudget = () => clock.now() - call.started < router.retry.budgetMs;
  const retryable = (error: unknown) =>
    !request.signal?.aborted && withinBudget() && mayRetry(error, request.facts);

  /**
   * When breakers refused every replica only because half-open probes are in flight, waits
   * (within the call's budget) for a probe to settle and picks again, instead of failing: a
   * replica that just came back is not refused to everyone but its first caller.
   */
  const pickAfterProbes = async (refusal: unknown): Promise<Replica> => {
    let error = refusal;
    for (;;) {
      const probing = [...set.replicas.values()].filter(
        (replica) => replica.breaker.state === 'half-open',
      );
      const left = router.retry.budgetMs - (clock.now() - call.started);
      if (!CircuitOpenError.isInstance(error) || probing.length === 0 || left <= 0) throw error;
      if (request.signal?.aborted) throw error;
      await probeSettled(probing, clock, left, request.signal);
      try {
        return pickReplica(set, call.pickOptions);
      } catch (next) {
        error = next;
      }
    }
  };

  const attempt = async (): Promise<T> => {
    if (call.excluded.size >= set.replicas.size) call.excluded.clear(); // only one left: try it again
    let replica: Replica;
    try {
      replica = pickReplica(set, call.pickOptions);
    } catch (error) {
      replica = await pickAfterProbes(error);
    }
    if (call.previous !== undefined && call.previous !== replica.id) {
      emit('failover', {
        server: set.server,
        from: call.previous,
        to: replica.id,
        method: request.method,
        target: request.target,
        at: clock.now(),
      });
    }
    call.previous = replica.id;
    return sendOn(router, request, replica, call.excluded, clock.now());
  };

  const backOff = async (error: unknown, attemptNumber: number) => {
    emit('retry', {
      server: set.server,
      method: request.method,
      target: request.target,
      attempt: attemptNumber,
      error,
      at: clock.now(),
    });
    const wait = fullJitterDelay(attemptNumber - 1, router.retry.backoff, router.random);
    await delay(clock, wait, { signal: request.signal });
  };

  try {
    let error = firstError;
    if (!sent) {
      // The first pick found nothing free: that is still the first attempt.
      try {
        return await attempt();
      } catch (next) {
        error = next;
      }
    }
    if (router.retry.retries === 0 || !retryable(error)) throw error;
    await backOff(error, 1);
    return await pRetry(attempt, {
      retries: router.retry.retries - 1,
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      shouldRetry: ({ error }) => retryable(error),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft === 0 || !retryable(error)) return;
        await backOff(error, attemptNumber + 1);
      },
    });
  } catch (error) {
    if (request.signal?.aborted && !McpmxError.isInstance(error)) {
      throw new CancelledError(`${request.method} on "${set.server}" was cancelled by the caller`, {
        server: set.server,
        cause: error,
      });
    }
    throw error;
  }
}

/** One further attempt on one replica, through its pool, with all the accounting. */
async function sendOn<P, T>(
  router: Router,
  request: RouteRequest<P, T>,
  replica: Replica,
  /** Where a failed replica is noted for the next attempt. */
  excluded: Set<string>,
  started: number,
): Promise<T> {
  const balancer = balancerOf(request);
  begin(router, request, replica, balancer, started);
  let value: T;
  try {
    value = await request.send(replica.pool, request.params, request.options, replica);
  } catch (error) {
    failed(router, request, replica, balancer, started, error, excluded);
    throw error;
  }
  succeeded(router, request, replica, balancer, started);
  return value;
}

/** The balancer that learns from this call's latency, if any. */
function balancerOf(request: RequestLabels): Balancer | undefined {
  if (request.sampleLatency === false) return undefined;
  return request.affinityKey !== undefined ? request.set.affinity : request.set.balancer;
}

/** Accounting as an attempt starts: balancer, replica stats, `request-start`. */
function begin(
  router: Router,
  request: RequestLabels,
  replica: Replica,
  balancer: Balancer | undefined,
  started: number,
): void {
  balancer?.onStart(replica.id);
  router.onRequest?.start(replica.id);
  if ((router.wants ?? everything)('request-start')) {
    router.emit('request-start', {
      server: request.set.server,
      replica: replica.id,
      method: request.method,
      target: request.target,
      at: started,
    });
  }
}

/** Accounting for an attempt that succeeded: balancer, breaker, outliers, stats, `request-end`. */
function succeeded(
  router: Router,
  request: RequestLabels,
  replica: Replica,
  balancer: Balancer | undefined,
  started: number,
): void {
  const durationMs = router.clock.now() - started;
  const outcome = { latencyMs: durationMs, success: true };
  balancer?.onEnd(replica.id, outcome);
  replica.breaker.recordSuccess();
  request.set.outliers.record(replica.id, true);
  router.onRequest?.end(replica.id, outcome);
  if ((router.wants ?? everything)('request-end')) {
    emitEnd(router, request, replica, 'success', durationMs);
  }
}

/**
 * Accounting for an attempt that failed. An error the classifier does not count as a failure
 * (the caller cancelled, the tool said no) still counts as a success for breaker and outliers.
 * A failed replica goes into `excluded`, for the next attempt.
 */
function failed(
  router: Router,
  request: RequestLabels,
  replica: Replica,
  balancer: Balancer | undefined,
  started: number,
  error: unknown,
  excluded: Set<string>,
): void {
  const durationMs = router.clock.now() - started;
  const failure = router.isFailure(error);
  balancer?.onEnd(replica.id, { latencyMs: durationMs, success: !failure });
  if (failure) {
    replica.breaker.recordFailure(error);
    request.set.outliers.record(replica.id, false);
    replica.lastError = error instanceof Error ? error.message : String(error);
    excluded.add(replica.id);
  } else {
    replica.breaker.recordSuccess();
    request.set.outliers.record(replica.id, true);
  }
  router.onRequest?.end(replica.id, { latencyMs: durationMs, success: false });
  if ((router.wants ?? everything)('request-end')) {
    emitEnd(router, request, replica, outcomeOf(error), durationMs, error);
  }
}

function emitEnd(
  router: Router,
  request: RequestLabels,
  replica: Replica,
  outcome: TelemetryEvents['request-end']['outcome'],
  durationMs: number,
  error?: unknown,
): void {
  router.emit('request-end', {
    server: request.set.server,
    replica: replica.id,
    method: request.method,
    target: request.target,
    at: router.clock.now(),
    outcome,
    durationMs,
    ...(error === undefined ? {} : { error }),
  });
}

function outcomeOf(error: unknown): 'error' | 'timeout' | 'cancelled' | 'rejected' {
  if (McpmxError.hasCode(error, 'MCPMX_TIMEOUT')) return 'timeout';
  if (McpmxError.hasCode(error, 'MCPMX_CANCELLED')) return 'cancelled';
  if (
    McpmxError.hasCode(error, 'MCPMX_CIRCUIT_OPEN') ||
    McpmxError.hasCode(error, 'MCPMX_ACQUIRE_TIMEOUT')
  ) {
    return 'rejected';
  }
  return 'error';
}

/** Resolves when any of the replicas' breakers changes state, after `timeoutMs`, or on abort. */
function probeSettled(
  replicas: readonly Replica[],
  clock: Clock,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      for (const stop of stops) stop();
      resolve();
    };
    const timer = clock.setTimeout(done, timeoutMs);
    signal?.addEventListener('abort', done, { once: true });
    const stops = replicas.map((replica) => replica.breaker.on('state-change', done));
  });
}
