/** Events a router emits per request. Metrics and logging subscribe to these. */

export type RequestOutcomeKind = 'success' | 'error' | 'timeout' | 'cancelled' | 'rejected';

export interface RequestStartEvent {
  server: string;
  replica: string;
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
