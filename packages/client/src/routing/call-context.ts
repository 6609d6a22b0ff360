import type {
  Balancer,
  CancelledError,
  McpOperations,
  OutlierDetector,
  RequestOptions,
} from '@mcpmx/core';
import type { Replica } from './replica.js';
import type { RetryFacts } from './retry-safety.js';

/** Sends one request on the replica the call path chose, `via` its ready session or its pool. */
export type Send<P, T> = (
  via: McpOperations,
  params: P,
  options: RequestOptions,
  replica: Replica,
) => Promise<T>;

/** One call to route to a logical server. */
export interface RouteRequest<P, T> {
  method: string;
  /** Tool, resource or prompt, for telemetry and errors. */
  target?: string;
  facts: RetryFacts;
  /** Calls with the same key go to the same replica (consistent hashing). */
  affinityKey?: string;
  /** Send to this replica only, with no failover. */
  replica?: string;
  signal?: AbortSignal;
  /** Passed to `send` as they are. */
  params: P;
  /** Passed to `send`; `timeoutMs` is the per-attempt timeout. */
  options: RequestOptions;
  /** Best made once, not per call: what differs per call is in `params` and `options`. */
  send: Send<P, T>;
  /**
   * Told of the answer and the replica that gave it, before the call resolves with it (it may
   * stamp the answer in place): no extra promise per call, unlike a wrapped `send`. Made once.
   */
  answered?: (value: T, replica: Replica) => void;
  /**
   * `call` (default): a request an agent made: it feeds the balancer's latency estimate and
   * the replica's counters. `catalog`: a list fetch, which feeds breaker and outlier detection
   * but not latency estimates or counters (a whole list is no representative request). Both
   * emit request events.
   */
  kind?: 'call' | 'catalog';
}

/** The parts of one logical server's route that a call path reads. */
export interface RouteParts {
  readonly server: string;
  readonly replicas: ReadonlyMap<string, Replica>;
  readonly balancer: Balancer;
  /** Consistent-hash balancer for calls that carry an affinity key. */
  readonly affinity: Balancer;
  readonly outliers: OutlierDetector;
  /** The replica, while the server has exactly one. */
  readonly only: Replica | undefined;
}

/** One call on its way through the policies; one object per call. */
export interface CallContext<P = unknown, T = unknown> {
  readonly route: RouteParts;
  readonly request: RouteRequest<P, T>;
  /** When the call began, on the client's clock. */
  readonly started: number;
  /** When retries, probe waits and queueing must stop (set by the budget policy). */
  deadline: number;
  /** The replica of the current attempt (set by the pick policy). */
  replica: Replica | undefined;
  /** When the current attempt was sent. */
  sentAt: number;
  /**
   * The call waited before this attempt (a retry's backoff, a probe, a queue), so the attempt
   * reads the clock as it is sent; a first attempt that did not wait is sent when it started.
   */
  waited: boolean;
  /** Replicas this call failed on, avoided by later picks; made on the first failure. */
  excluded: Set<string> | undefined;
  /** The rest of the path below the retry policy, and its recovery for a failed first attempt. */
  retryFrom: Next | undefined;
  recover: (<P2, T2>(context: CallContext<P2, T2>, error: unknown) => Promise<T2>) | undefined;
  /** A CancelledError naming this call, for an abort seen by any policy. */
  cancelled(): CancelledError;
}

/** The rest of the call path, from a policy's point of view. */
export type Next = <P, T>(context: CallContext<P, T>) => Promise<T>;

/**
 * One step of the call path. A policy may refuse synchronously (throw) before anything is sent;
 * otherwise it returns what `next` returns, or waits first. Composed in a fixed order by
 * `composeCallPath`.
 */
export type Policy = <P, T>(context: CallContext<P, T>, next: Next) => Promise<T>;
