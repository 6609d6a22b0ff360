import {
  type BackoffOptions,
  CancelledError,
  CircuitOpenError,
  type Clock,
  delay,
  type FailureClassifier,
  fullJitterDelay,
  McpmxError,
  type Random,
  type TelemetryEvents,
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
    end(replica: string, latencyMs: number, success: boolean): void;
  };
}

/** One call to route. */
export interface RouteRequest<T> {
  set: ReplicaSet;
  method: string;
  target?: string;
  facts: RetryFacts;
  affinityKey?: string;
  signal?: AbortSignal;
  send: (replica: Replica) => Promise<T>;
  /**
   * Feed this call's latency to the balancer. Default true; false for work that is not a
   * representative request (a whole-catalog fetch), so it does not skew latency estimates.
   */
  sampleLatency?: boolean;
}

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
 * synchronous, the request is sent without an await before it, and nothing of the retry
 * machinery is built until an attempt fails.
 */
export async function routeCall<T>(router: Router, request: RouteRequest<T>): Promise<T> {
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
  try {
    return await sendOn(router, request, replica, undefined, started);
  } catch (error) {
    const call = newCallState(request, started, replica.id);
    if (router.isFailure(error)) call.excluded.add(replica.id);
    return routeWithRetries(router, request, call, error, true);
  }
}

const NOTHING_EXCLUDED: PickOptions = {};

function newCallState(
  request: RouteRequest<unknown>,
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
async function routeWithRetries<T>(
  router: Router,
  request: RouteRequest<T>,
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

/** One attempt on one replica, with the balancer, breaker, outlier and stats accounting. */
async function sendOn<T>(
  router: Router,
  request: RouteRequest<T>,
  replica: Replica,
  /** Where a failed replica is noted for the next attempt; the first attempt has none yet. */
  excluded: Set<string> | undefined,
  started: number,
): Promise<T> {
  const { set } = request;
  const { clock } = router;
  const balancer =
    request.sampleLatency === false
      ? undefined
      : request.affinityKey !== undefined
        ? set.affinity
        : set.balancer;
  const wants = router.wants ?? everything;
  balancer?.onStart(replica.id);
  router.onRequest?.start(replica.id);
  if (wants('request-start')) {
    router.emit('request-start', {
      server: set.server,
      replica: replica.id,
      method: request.method,
      target: request.target,
      at: started,
    });
  }
  try {
    const value = await request.send(replica);
    const durationMs = clock.now() - started;
    balancer?.onEnd(replica.id, { latencyMs: durationMs, success: true });
    replica.breaker.recordSuccess();
    set.outliers.record(replica.id, true);
    router.onRequest?.end(replica.id, durationMs, true);
    if (wants('request-end')) emitEnd(router, request, replica, 'success', durationMs);
    return value;
  } catch (error) {
    const durationMs = clock.now() - started;
    const failure = router.isFailure(error);
    balancer?.onEnd(replica.id, { latencyMs: durationMs, success: !failure });
    if (failure) {
      replica.breaker.recordFailure(error);
      set.outliers.record(replica.id, false);
      replica.lastError = error instanceof Error ? error.message : String(error);
      excluded?.add(replica.id);
    } else {
      replica.breaker.recordSuccess();
      set.outliers.record(replica.id, true);
    }
    router.onRequest?.end(replica.id, durationMs, false);
    if (wants('request-end'))
      emitEnd(router, request, replica, outcomeOf(error), durationMs, error);
    throw error;
  }
}

function emitEnd(
  router: Router,
  request: RouteRequest<unknown>,
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
