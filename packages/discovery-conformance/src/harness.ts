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

/** What a discovery package provides to run the conformance suite against a real source. */
export interface DiscoveryHarness {
  /** Creates the discovery under test, pointed at the fixture source (not started). */
  createDiscovery(): Discovery;
  /** Makes the source serve exactly these endpoints (replacing what was there). Resolves once the source itself holds them. */
  publish(endpoints: readonly FixtureEndpoint[]): Promise<void>;
  /** Adds one malformed record next to the valid ones; returns a substring that the SkippedRecord.record or .reason must contain. */
  publishMalformed(): Promise<string>;
  /** Makes the source unreachable (stop the server / close the port), and brings it back. */
  breakSource(): Promise<void>;
  restoreSource(): Promise<void>;
  /** Tears the fixture down. */
  close(): Promise<void>;
}
