import type { BreakerState } from './breaker.js';
import type { ReplicaStatus, StatusChange } from './status.js';

/**
 * Telemetry: the events a client emits while it routes. Metrics and logging subscribe to an
 * `EventSource<TelemetryEvents>`; nothing has to import them in order to work.
 */

export type RequestOutcomeKind = 'success' | 'error' | 'timeout' | 'cancelled' | 'rejected';

export interface RequestStartEvent {
  server: string;
  replica: string;
  /** MCP method, e.g. `tools/call`. */
  method: string;
  /** Tool, resource or prompt name, where there is one. */
  target?: string;
  at: number;
}

export interface RequestEndEvent extends RequestStartEvent {
  outcome: RequestOutcomeKind;
  durationMs: number;
  error?: unknown;
}

export interface TelemetryEvents {
  'request-start': RequestStartEvent;
  'request-end': RequestEndEvent;
  /** A call is tried again (same or another replica) after `error`. */
  retry: {
    server: string;
    method: string;
    target?: string;
    attempt: number;
    error: unknown;
    at: number;
  };
  /** A call moved from one replica to another. */
  failover: {
    server: string;
    from: string;
    to: string;
    method: string;
    target?: string;
    at: number;
  };
  'breaker-state': {
    server: string;
    replica: string;
    from: BreakerState;
    to: BreakerState;
    at: number;
  };
  ejection: { server: string; replica: string; reason: string; until: number; at: number };
  /** An ejected replica is back in the balancer's choices; `at` is when its ejection ended. */
  readmission: { server: string; replica: string; at: number };
  'replica-status': Omit<StatusChange, 'error'>;
  cache: { server: string; target?: string; hit: boolean; at: number };
  'discovery-update': { source: string; endpoints: number; skipped: number; at: number };
  /** A replica sent a response for no pending request (an unknown, late or repeated id): dropped. */
  'unexpected-response': {
    server: string;
    replica: string;
    id: string | number | null;
    at: number;
  };
}

/** Point-in-time state for gauges, read at scrape time. */
export interface TelemetrySnapshot {
  replicas: readonly {
    server: string;
    replica: string;
    status: ReplicaStatus;
    breaker: BreakerState;
    sessions: { open: number; connecting: number };
    inFlight: number;
  }[];
}
