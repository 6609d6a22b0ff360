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

export interface RouteCallOptions<T> {
  set: ReplicaSet;
  method: string;
  target?: string;
  facts: RetryFacts;
  affinityKey?: string;
  signal?: AbortSignal;
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
  send: (replica: Replica) => Promise<T>;
  /**
   * Feed this call's latency to the balancer. Default true; false for work that is not a
   * representative request (a whole-catalog fetch), so it does not skew latency estimates.
   */
  sampleLatency?: boolean;
}

/**
 * Runs one call through the routing order: pick a healthy replica (outliers, breakers,
 * balancer), send it on that replica's pool, account the outcome, and on failure retry (on
 * another replica where there is one) only when mayRetry says it is safe: the tool is
 * read-only or idempotent, or the request provably never reached a server. Waits use full
 * jitter; the whole call stays within `retry.budgetMs`. Emits request, retry and failover
 * telemetry.
 */
export async function routeCall<T>(options: RouteCallOptions<T>): Promise<T> {
  const { set, clock, emit } = options;
  const excluded = new Set<string>();
  let previous: string | undefined;
  const started = clock.now();
  const withinBudget = () => clock.now() - started < options.retry.budgetMs;
  const retryable = (error: unknown) =>
    !options.signal?.aborted && withinBudget() && mayRetry(error, options.facts);

  const pickOptions: PickOptions = { affinityKey: options.affinityKey, excluded };
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
      const left = options.retry.budgetMs - (clock.now() - started);
      if (!CircuitOpenError.isInstance(error) || probing.length === 0 || left <= 0) throw error;
      if (options.signal?.aborted) throw error;
      await probeSettled(probing, clock, left, options.signal);
      try {
        return pickReplica(set, pickOptions);
      } catch (next) {
        error = next;
      }
    }
  };

  const attempt = async (): Promise<T> => {
    if (excluded.size >= set.replicas.size) excluded.clear(); // only one left: try it again
    let replica: Replica;
    try {
      replica = pickReplica(set, pickOptions); // the common case: no await on the way
    } catch (error) {
      replica = await pickAfterProbes(error);
    }
    if (previous !== undefined && previous !== replica.id) {
      emit('failover', {
        server: set.server,
        from: previous,
        to: replica.id,
        method: options.method,
        target: options.target,
        at: clock.now(),
      });
    }
    previous = replica.id;
    return sendOn(replica, options, excluded);
  };

  const backOff = async (error: unknown, attemptNumber: number) => {
    emit('retry', {
      server: set.server,
      method: options.method,
      target: options.target,
      attempt: attemptNumber,
      error,
      at: clock.now(),
    });
    const wait = fullJitterDelay(attemptNumber - 1, options.retry.backoff, options.random);
    await delay(clock, wait, { signal: options.signal });
  };

  try {
    // The first attempt runs directly: most calls succeed, and they pay nothing for retrying.
    let firstError: unknown;
    try {
      return await attempt();
    } catch (error) {
      firstError = error;
    }
    if (options.retry.retries === 0 || !retryable(firstError)) throw firstError;
    await backOff(firstError, 1);
    return await pRetry(attempt, {
      retries: options.retry.retries - 1,
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
    if (options.signal?.aborted && !McpmxError.isInstance(error)) {
      throw new CancelledError(`${options.method} on "${set.server}" was cancelled by the caller`, {
        server: set.server,
        cause: error,
      });
    }
    throw error;
  }
}

async function sendOn<T>(
  replica: Replica,
  options: RouteCallOptions<T>,
  excluded: Set<string>,
): Promise<T> {
  const { set, clock, emit } = options;
  const balancer =
    options.sampleLatency === false
      ? undefined
      : options.affinityKey !== undefined
        ? set.affinity
        : set.balancer;
  const started = clock.now();
  const wants = options.wants ?? (() => true);
  const emitEnd = (
    outcome: TelemetryEvents['request-end']['outcome'],
    durationMs: number,
    error?: unknown,
  ) =>
    emit('request-end', {
      server: set.server,
      replica: replica.id,
      method: options.method,
      target: options.target,
      at: clock.now(),
      outcome,
      durationMs,
      ...(error === undefined ? {} : { error }),
    });
  balancer?.onStart(replica.id);
  options.onRequest?.start(replica.id);
  if (wants('request-start')) {
    emit('request-start', {
      server: set.server,
      replica: replica.id,
      method: options.method,
      target: options.target,
      at: started,
    });
  }
  try {
    const value = await options.send(replica);
    const durationMs = clock.now() - started;
    balancer?.onEnd(replica.id, { latencyMs: durationMs, success: true });
    replica.breaker.recordSuccess();
    set.outliers.record(replica.id, true);
    options.onRequest?.end(replica.id, durationMs, true);
    if (wants('request-end')) emitEnd('success', durationMs);
    return value;
  } catch (error) {
    const durationMs = clock.now() - started;
    const failure = options.isFailure(error);
    balancer?.onEnd(replica.id, { latencyMs: durationMs, success: !failure });
    if (failure) {
      replica.breaker.recordFailure(error);
      set.outliers.record(replica.id, false);
      replica.lastError = error instanceof Error ? error.message : String(error);
      excluded.add(replica.id);
    } else {
      replica.breaker.recordSuccess();
      set.outliers.record(replica.id, true);
    }
    options.onRequest?.end(replica.id, durationMs, false);
    if (wants('request-end')) emitEnd(outcomeOf(error), durationMs, error);
    throw error;
  }
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
