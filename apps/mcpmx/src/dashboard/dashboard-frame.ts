import type { BreakerState, ReplicaStatus } from '@mcpmx/core';

/**
 * What the dashboard page receives over its WebSocket, about once a second and at once after a
 * status or breaker change. Status, counts and timings only: never call arguments or results,
 * and no secrets: it is built from the client's redacted snapshot and events, and the feed
 * passes each text from upstream or config (transport, reason, last error) through the
 * client's redactor again before a frame leaves it.
 */
export interface DashboardFrame {
  type: 'frame';
  /** When the frame was built, on the feed's clock. Other times are on the same clock. */
  at: number;
  servers: DashboardServer[];
  series: DashboardSeries;
  /** Newest first. */
  failovers: DashboardFailover[];
  totals: DashboardTotals;
}

/**
 * Counts since the feed started. A call is what an agent asked for; an attempt is one request
 * to one replica, and a call that fails over makes several. A failed attempt that was retried
 * is not a failed call: a call fails only when its last attempt did (or it returned a tool
 * error), which is what a demo's or an agent's "failed" counts.
 */
export interface DashboardTotals {
  /** Attempts sent to replicas (the request-rate chart), list fetches included. */
  requests: number;
  /** Attempts that failed, retried or not. */
  failedAttempts: number;
  /** Failed attempts that were then retried, on the same or another replica. */
  retriedAttempts: number;
  /** Calls routed to a server that ended. */
  calls: number;
  /** Calls that ended in an error or a tool error. */
  failedCalls: number;
  failovers: number;
}

export interface DashboardServer {
  name: string;
  /** Replicas whose health is `ok`. */
  healthy: number;
  replicas: DashboardReplica[];
}

/** What the page colours a replica: green, amber or red. */
export type ReplicaHealth = 'ok' | 'warn' | 'bad';

export interface DashboardReplica {
  id: string;
  /** A secret-free label such as `websocket:ws://127.0.0.1:4100/`. */
  transport: string;
  status: ReplicaStatus;
  statusReason: string;
  breaker: BreakerState | 'unknown';
  /** Set while outlier detection has the replica ejected. */
  ejectedUntil?: number;
  health: ReplicaHealth;
  inFlight: number;
  sessions: number;
  successes: number;
  errors: number;
  ewmaLatencyMs: number | null;
  lastError?: string;
}

/** Rolling series over the last completed intervals, oldest first. */
export interface DashboardSeries {
  intervalMs: number;
  /** End of the newest interval in the series. */
  end: number;
  /** Requests per second in each interval. */
  rate: number[];
  /** Failed requests per second in each interval. */
  errorRate: number[];
  /** Latency percentiles in ms; null where an interval had no request. */
  p50: (number | null)[];
  p99: (number | null)[];
}

export interface DashboardFailover {
  at: number;
  server: string;
  from: string;
  to: string;
  method: string;
  target?: string;
}

/**
 * Red when the replica cannot take calls (down, breaker open or isolated, ejected), amber
 * when it can only partly (degraded, still connecting, breaker half-open), green otherwise.
 */
export function replicaHealth(
  status: ReplicaStatus,
  breaker: BreakerState | 'unknown',
  ejected: boolean,
): ReplicaHealth {
  if (status === 'down' || breaker === 'open' || breaker === 'isolated' || ejected) return 'bad';
  if (status !== 'up' || breaker === 'half-open') return 'warn';
  return 'ok';
}
