import {
  CancelledError,
  type Clock,
  ConnectError,
  type FailureClassifier,
  InvalidRequestError,
  McpmxError,
  RemoteError,
  type RequestOutcomeKind,
  RequestTimeoutError,
  type TelemetryEvents,
  TransportError,
} from '@mcpmx/core';
import type { CallContext } from './call-context.js';
import type { Replica } from './replica.js';

/** What the client shares with every call path: built once per client. */
export interface CallEnvironment {
  readonly clock: Clock;
  /** Decides whether a server-side error counts against the replica's health. */
  readonly isFailure: FailureClassifier;
  emit<K extends keyof TelemetryEvents>(event: K, payload: TelemetryEvents[K]): void;
  /** Whether anyone listens to `event`; payloads are built only when someone does. */
  wants(event: keyof TelemetryEvents): boolean;
}

/**
 * How one attempt ended, decided once, here. Every consumer (balancer, breaker, outlier
 * detection, replica counters, telemetry, the retry policy) reads this decision.
 * - `success`: an answer (a tool result with `isError` is an answer too).
 * - `never-sent`: it provably did not reach the server (connect failed, no session, the session
 *   died before the request was written): safe to send again anywhere.
 * - `failed`: sent, and the transport failed after that: it may have run.
 * - `remote-error`: the server answered with a JSON-RPC error.
 * - `timeout`: no answer within the timeout; it may have run.
 * - `cancelled`: the caller aborted it.
 * - `caller-error`: the caller's own request cannot be sent or is invalid.
 */
export type AttemptOutcome =
  | 'success'
  | 'never-sent'
  | 'failed'
  | 'remote-error'
  | 'timeout'
  | 'cancelled'
  | 'caller-error';

/** JSON-RPC codes that blame the request: parse error, invalid request, invalid params. */
const CALLER_RPC_CODES = new Set([-32700, -32600, -32602]);

export function classifyAttempt(error: unknown, signal: AbortSignal | undefined): AttemptOutcome {
  if (error === undefined) return 'success';
  if (signal?.aborted || CancelledError.isInstance(error)) return 'cancelled';
  if (InvalidRequestError.isInstance(error)) return 'caller-error';
  if (RemoteError.isInstance(error)) {
    return error.rpcCode !== undefined && CALLER_RPC_CODES.has(error.rpcCode)
      ? 'caller-error'
      : 'remote-error';
  }
  if (RequestTimeoutError.isInstance(error)) return 'timeout';
  if (TransportError.isInstance(error)) {
    return error.reachedServer === false ? 'never-sent' : 'failed';
  }
  if (ConnectError.isInstance(error) || McpmxError.hasCode(error, 'MCPMX_ACQUIRE_TIMEOUT')) {
    return 'never-sent';
  }
  return 'failed';
}

/** A caller's own mistake or cancel never counts against a replica; the rest as `isFailure` says. */
export function countsAgainstReplica(
  outcome: AttemptOutcome,
  error: unknown,
  isFailure: FailureClassifier,
): boolean {
  if (outcome === 'success' || outcome === 'cancelled' || outcome === 'caller-error') return false;
  return isFailure(error);
}

const TELEMETRY: Record<AttemptOutcome, RequestOutcomeKind> = {
  success: 'success',
  'never-sent': 'error',
  failed: 'error',
  'remote-error': 'error',
  timeout: 'timeout',
  cancelled: 'cancelled',
  'caller-error': 'error',
};

/** Accounting as an attempt is sent: its time, and `request-start`. */
export function recordSent<P, T>(
  environment: CallEnvironment,
  context: CallContext<P, T>,
  replica: Replica,
): void {
  const now = context.waited ? environment.clock.now() : context.started;
  context.sentAt = now;
  if (environment.wants('request-start')) {
    environment.emit('request-start', {
      server: replica.server,
      replica: replica.id,
      method: context.request.method,
      target: context.request.target,
      at: now,
    });
  }
}

/**
 * The one outcome path of an attempt that was sent: classifies it, then feeds the balancer,
 * the breaker, outlier detection, the replica's counters and `request-end` from that one
 * decision, and frees the attempt's concurrency slot. Returns the outcome, for the retry policy.
 */
export function recordOutcome<P, T>(
  environment: CallEnvironment,
  context: CallContext<P, T>,
  replica: Replica,
  error: unknown,
): AttemptOutcome {
  replica.limit.release();
  const outcome = classifyAttempt(error, context.request.signal);
  const now = environment.clock.now();
  const latencyMs = now - context.sentAt;
  const counts = countsAgainstReplica(outcome, error, environment.isFailure);
  if (counts) {
    replica.breaker.recordFailure(error);
    replica.lastError = error instanceof Error ? error.message : String(error);
    context.excluded ??= new Set();
    context.excluded.add(replica.id);
  } else {
    replica.breaker.recordSuccess();
  }
  // While its breaker is open or probing, the breaker alone judges the replica (it was reset in
  // outlier detection as it opened): an ejection on top would keep its probe from ever running.
  if (replica.breaker.state === 'closed') context.route.outliers.record(replica.id, !counts);
  if (context.request.kind !== 'catalog') {
    balancerOf(context).onEnd(replica.id, { latencyMs, success: !counts });
    replica.counters.record(outcome === 'success', latencyMs, now);
  }
  if (environment.wants('request-end')) {
    environment.emit('request-end', {
      server: replica.server,
      replica: replica.id,
      method: context.request.method,
      target: context.request.target,
      at: now,
      outcome: TELEMETRY[outcome],
      durationMs: latencyMs,
      ...(error === undefined ? {} : { error }),
    });
  }
  return outcome;
}

function balancerOf<P, T>(context: CallContext<P, T>) {
  return context.request.affinityKey !== undefined
    ? context.route.affinity
    : context.route.balancer;
}
