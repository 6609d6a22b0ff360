import type { Disposer } from './emitter.js';
import type { EndpointDescriptor } from './endpoint.js';

/** A record a source could not use. The rest of the set still applies. */
export interface SkippedRecord {
  /** Where the record came from: a key, a DNS name, a config path. */
  record: string;
  reason: string;
}

/** A complete endpoint set from one source. Consumers apply it as a diff. */
export interface DiscoveredSet {
  source: string;
  endpoints: readonly EndpointDescriptor[];
  skipped: readonly SkippedRecord[];
  at: number;
}

export interface DiscoveryEvents {
  update: DiscoveredSet;
  /** The source failed; the last known good set stays in force. */
  error: { source: string; error: Error };
}

/**
 * Yields complete endpoint sets over time. Reports errors without dropping the last known
 * good set, and stops cleanly: after `stop()` resolves, no timer, socket or watch is left.
 */
export interface Discovery {
  readonly id: string;
  /** Begins watching. Resolves once the first set or the first error has been emitted. */
  start(): Promise<void>;
  /** Ends the watch. Idempotent. */
  stop(): Promise<void>;
  /** The last known good set, if any. */
  current(): DiscoveredSet | undefined;
  on<K extends keyof DiscoveryEvents>(
    event: K,
    listener: (payload: DiscoveryEvents[K]) => void,
  ): Disposer;
}
