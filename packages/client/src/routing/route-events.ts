import type { ListChangedKind, TelemetryEvents } from '@mcpmx/core';

/** What routes report to the client: telemetry, and what the catalog must react to. */
export interface RouteEvents {
  replicaStatus(change: TelemetryEvents['replica-status']): void;
  breakerState(change: TelemetryEvents['breaker-state']): void;
  ejection(event: TelemetryEvents['ejection']): void;
  readmission(event: TelemetryEvents['readmission']): void;
  listChanged(server: string, kind: ListChangedKind): void;
  /** A logical server got its first replica (a route was made) or lost its last one. */
  routeAdded(server: string): void;
  routeRemoved(server: string): void;
}
