import type { FanOutResult, FanOutStrategy } from '@mcpmx/aggregator';
import type { CapabilityKind, EventSource, TelemetryEvents, TelemetrySnapshot } from '@mcpmx/core';
import type { Registry } from '@mcpmx/registry';
import type {
  CallToolResult,
  CompleteResult,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType,
  Tool,
} from '@modelcontextprotocol/client';
import type { Catalog } from './catalog/catalog.js';
import type { CatalogChange } from './catalog/catalog-change.js';
import type { SearchToolsOptions, ToolSearchResult } from './catalog/catalog-search.js';
import type { ListHint } from './catalog/list-hints.js';
import type { ClientSnapshot } from './client-snapshot.js';
import type { LoggingLevel, Root } from './interaction/interaction-types.js';
import type { CallOptions } from './requests.js';

/** Options of a fan-out call. */
export interface FanOutCallOptions {
  /** The servers to call; default every server that offers the tool. */
  servers?: readonly string[];
  /**
   * Only servers with this tag: from the server's config `tags`, or from the `tags` of any of
   * its replicas (DNS TXT, Consul and etcd discovery give per-replica tags).
   */
  tag?: string;
  /** Default 'all-settled'. */
  strategy?: FanOutStrategy;
  /** One slow server cannot stall the fan-out past this. */
  perServerTimeoutMs?: number;
  /** first-success: start the next server only after this delay (or when one fails). */
  hedgeDelayMs?: number;
  signal?: AbortSignal;
}

/**
 * One call routed to a server ended, after all its attempts (`request-end` is one attempt):
 * `success`; `tool-error`, a tool result with `isError`; `error`, the call rejected (timeout,
 * no healthy replica, its last attempt's error); `cancelled`, the caller aborted it. Emitted
 * only while someone listens. A result the cache served is no call to a server.
 */
export interface CallEndEvent {
  server: string;
  method: string;
  /** Tool (federated name), resource or prompt. */
  target?: string;
  outcome: 'success' | 'tool-error' | 'error' | 'cancelled';
  durationMs: number;
  at: number;
}

export interface ClientEvents extends TelemetryEvents {
  'call-end': CallEndEvent;
  /**
   * The catalog was rebuilt: every server in it, the servers that joined and left, the tool and
   * prompt names that moved (see NameChange), the tool count, and when.
   */
  'catalog-changed': CatalogChange & { at: number };
  /** Something went wrong in the background: a list fetch, a discovery source. */
  error: { error: Error; server?: string };
  /**
   * Something worth a look that is not an error: the allow/deny patterns and tool overrides of
   * a server's settings that match nothing it lists (a typo guard), each time that changes.
   */
  warning: { server: string; warnings: readonly string[]; at: number };
}

/** What `start()` resolves with. */
export interface StartResult {
  /** Servers that answered, with their catalogs fetched, by name. */
  readonly up: readonly string[];
  /**
   * Servers that did not: each failed its first connect attempt (a ConnectError saying why) or
   * did not answer within `startTimeoutMs` (a StartTimeoutError). They keep reconnecting in the
   * background and join the catalog once they are up (`catalog-changed` says when).
   */
  readonly failed: readonly StartFailure[];
}

/** A server `start()` could not reach, and why. */
export interface StartFailure {
  readonly server: string;
  readonly error: Error;
}

/**
 * One MCP client over many servers. Create it, `start()` it, use it, `close()` it: a call before
 * `start()` rejects with NotStartedError, and after `close()` with ClientClosedError.
 */
export interface MultiServerClient extends EventSource<ClientEvents> {
  /**
   * Starts discovery and connects. Resolves once every server is up with its catalog fetched,
   * or has failed its first connect attempt, or `startTimeoutMs` ran out, with the servers that
   * failed (see StartResult); rejects only when the client cannot start at all (a bad config
   * rejects with its ConfigError). Failed servers keep reconnecting and join the catalog later.
   */
  start(): Promise<StartResult>;
  listTools(): readonly Tool[];
  listPrompts(): readonly Prompt[];
  listResources(): readonly Resource[];
  listResourceTemplates(): readonly ResourceTemplateType[];
  /**
   * The caching hint to pass on with a federated list (2026-07-28 `ttlMs`/`cacheScope`): the
   * shortest remaining lifetime over the servers' lists and `private` if any is private, or
   * `undefined` when some server that lists items of this kind sent no hint.
   */
  listCacheHint(kind: CapabilityKind): ListHint | undefined;
  callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallToolResult>;
  readResource(uri: string, options?: CallOptions): Promise<ReadResourceResult>;
  getPrompt(
    name: string,
    args?: Record<string, string>,
    options?: CallOptions,
  ): Promise<GetPromptResult>;
  complete(params: Record<string, unknown>, options?: CallOptions): Promise<CompleteResult>;
  /**
   * Calls the tool `name` (the server's own name for it) on every server that offers it, or on
   * a tag group, and aggregates per `strategy`. Results are keyed by server.
   */
  fanOut(
    name: string,
    args?: Record<string, unknown>,
    options?: FanOutCallOptions,
  ): Promise<FanOutResult<CallToolResult>>;
  catalog(): Catalog;
  /**
   * The tools for a task, best first: a local full-text search (@mcpmx/tool-search) over the
   * catalog as callers see it (names, titles, descriptions, parameters), no model or network.
   * `limit` (default 10, at most 100), `servers` and `tags` narrow it. Each result has the name
   * to call the tool by.
   */
  searchTools(query: string, options?: SearchToolsOptions): Promise<ToolSearchResult[]>;
  /** Refetches the lists of one server, or of all; rejects with the first list that failed. */
  refresh(server?: string): Promise<void>;
  servers(): string[];
  readonly registry: Registry;
  snapshot(): ClientSnapshot;
  /** Point-in-time gauges for metrics (`createMetrics({ events: client, snapshot: () => client.telemetry() })`). */
  telemetry(): TelemetrySnapshot;
  /**
   * `text` as the client shows it: URL userinfo and queries dropped, and every value the
   * config read from the environment (and every `secrets` option value) replaced by
   * `[redacted]`. The client's errors, events, snapshot and telemetry already are; use it for
   * anything else that goes out (a log line, a terminal, a page).
   */
  redact(text: string): string;
  /**
   * Replaces the roots (of all servers, or of one) and sends `notifications/roots/list_changed`
   * where the revision has it (2025-11-25; on 2026-07-28 roots are asked for per request).
   */
  setRoots(roots: readonly Root[], server?: string): Promise<void>;
  /** `logging/setLevel` on every server that has logging (or one); remembered and re-applied on reconnect. */
  setLogLevel(level: LoggingLevel, server?: string): Promise<void>;
  /**
   * Subscribes to updates of one resource: routed to the server that owns the URI, kept across
   * replica changes and reconnects (re-subscribed). 2025-11-25: resources/subscribe +
   * notifications/resources/updated; 2026-07-28: subscriptions/listen. Resolves once the server
   * accepted; returns the unsubscribe function.
   */
  subscribeResource(
    uri: string,
    listener: (update: { uri: string; server: string }) => void,
  ): Promise<() => Promise<void>>;
  /**
   * Asks `advertise` (a function's answer may have changed) and the handlers again, and renews
   * the sessions of every server that was told something else, gracefully: calls in flight end
   * on the old sessions, the next ones go to new sessions whose handshake says what the client
   * can do now. Resolves with the servers renewed, once their new sessions are connected (or
   * failed to) and their lists refetched (a server may list tools by the client's
   * capabilities); a list that fails is an `error` event. One runs at a time.
   */
  readvertise(): Promise<string[]>;
  /** Closes every session, process, timer and watch. Idempotent. */
  close(): Promise<void>;
}
