import type { Discovery } from '@mcpmx/core';

/** One valid endpoint the fixture source should serve. */
export interface FixtureEndpoint {
  /** Where the source keeps it: a key, a DNS target name. Unique within a set. */
  key: string;
  /** Logical server name. */
  server: string;
  host: string;
  port: number;
  weight: number;
  tags: string[];
}

/**
 * What the suite needs to run against one source: a way to create the discovery under test and
 * to change what the source serves. `createHarness` is called once per case, so each case gets
 * a fresh source; `close()` tears it down.
 */
export interface DiscoveryHarness {
  /** Creates the discovery under test, pointed at the fixture source (not started). */
  createDiscovery(): Discovery;
  /**
   * Makes the source serve exactly these endpoints (replacing what was there), each as
   * `<scheme>://host:port/...` with its weight and tags. Resolves once the source holds them.
   */
  publish(endpoints: readonly FixtureEndpoint[]): Promise<void>;
  /**
   * Adds one malformed record next to the valid ones; returns a substring that must appear in
   * the SkippedRecord's `record` or `reason` (or, with `malformedRecords: 'reject'`, in the
   * 'error' event's message).
   */
  publishMalformed(): Promise<string>;
  /**
   * How the source treats a malformed record. `'skip'` (the default): the record becomes a
   * SkippedRecord and the rest of the set applies. `'reject'`: the source validates a whole
   * document at once (a config file), so it emits 'error' naming the record and keeps the last
   * good set.
   */
  malformedRecords?: 'skip' | 'reject';
  /** Makes the source unreachable (stop the server, close the port, remove the file). */
  breakSource(): Promise<void>;
  /** Brings the source back after `breakSource()`. */
  restoreSource(): Promise<void>;
  /** Tears the fixture down. */
  close(): Promise<void>;
}
