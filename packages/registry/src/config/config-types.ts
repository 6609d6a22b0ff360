import type { EndpointDescriptor } from '@mcpmx/core';

/** Per-server settings from the mcpmx extensions of an `mcpServers` entry. */
export interface ServerSettings {
  tags: string[];
  /** Calls stick to one replica (consistent hashing by session). */
  stateful: boolean;
  /** Tools that are safe to retry even without an idempotentHint. */
  idempotentTools: string[];
  /** Default per-call timeout for this server. */
  timeoutMs: number | undefined;
}

/** A discovery block, kept as data: the app picks the package that implements `type`. */
export interface DiscoveryBlock {
  type: string;
  [option: string]: unknown;
}

/** What a config file describes. */
export interface ServersConfig {
  endpoints: EndpointDescriptor[];
  servers: Record<string, ServerSettings>;
  discovery: DiscoveryBlock[];
  /** Other top-level keys (naming, balancer, breaker, retry, cache, ...), interpolated. */
  settings: Record<string, unknown>;
}

export interface ParseConfigOptions {
  /** Values for `${NAME}` references. Default: none (so nothing leaks in by accident). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Named in errors: a file path, "inline config". */
  source?: string;
  /** Stamped on every endpoint as its owner. Default "config". */
  sourceId?: string;
}
