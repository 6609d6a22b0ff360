import type { Disposer } from './emitter.js';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface BreakerStateChange {
  from: BreakerState;
  to: BreakerState;
  at: number;
  /** Consecutive openings so far; drives the open-period backoff. */
  openings: number;
}

export interface BreakerSnapshot {
  state: BreakerState;
  openings: number;
  /** When an open breaker turns half-open, on the breaker's clock. */
  openUntil: number | undefined;
}

/** Guards one replica. Pure: driven by its Clock and by what the caller records. */
export interface Breaker {
  readonly state: BreakerState;
  /**
   * Asks to send a call. False means fail fast. In half-open only a bounded number of probes
   * are admitted; each admitted call must be followed by recordSuccess or recordFailure.
   */
  tryAcquire(): boolean;
  recordSuccess(): void;
  recordFailure(error?: unknown): void;
  /**
   * Gives back a call `tryAcquire` admitted that was then never sent (a concurrency limit
   * refused it): in half-open its probe slot is freed, counting neither way. Optional.
   */
  release?(): void;
  /** Holds the breaker open until the returned disposer runs. */
  isolate(): Disposer;
  /** Back to closed with counters cleared. */
  reset(): void;
  /** Milliseconds until an open breaker admits a probe. */
  retryAfterMs(): number | undefined;
  /**
   * Ends an open period early, so the next call is a half-open probe: for fresh evidence that
   * the replica may be back (it reconnected). Optional; a failed probe reopens as usual, with
   * the next, longer open period.
   */
  allowProbe?(): void;
  on(event: 'state-change', listener: (change: BreakerStateChange) => void): Disposer;
  toJSON(): BreakerSnapshot;
}

/**
 * Says whether an error (or a result) counts against a replica's health. Keep it pure: the
 * router may ask more than once about the same error.
 */
export type FailureClassifier = (error: unknown) => boolean;

export interface EjectionEvent {
  replica: string;
  reason: 'consecutive-failures' | 'success-rate';
  ejections: number;
  until: number;
}

/** Envoy-style outlier detection over a replica set. */
export interface OutlierDetector {
  record(replica: string, success: boolean): void;
  isEjected(replica: string): boolean;
  /** The candidates to balance over: non-ejected ones, or all of them in panic. */
  eligible<C extends { readonly id: string }>(candidates: readonly C[]): C[];
  remove(replica: string): void;
  /**
   * Forgets what was recorded of the replica and ends its ejection now (emitting 'readmitted'
   * if it was ejected): it reconnected as a new peer, or its breaker opened and now judges it
   * alone. Optional, for custom detectors written before it; without it a replica ejected
   * together with its breaker opening stays out until the ejection ends.
   */
  reset?(replica: string): void;
  on(event: 'ejected', listener: (event: EjectionEvent) => void): Disposer;
  on(event: 'readmitted', listener: (event: { replica: string; at: number }) => void): Disposer;
  /** Stops the periodic detection timer. */
  close(): void;
}
