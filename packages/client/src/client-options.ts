import type {
  BackoffOptions,
  Balancer,
  Breaker,
  Clock,
  Discovery,
  EndpointDescriptor,
  FailureClassifier,
  OutlierDetector,
  Random,
  SessionPool,
  ToolAnnotations,
} from '@mcpmx/core';
import type { SessionPoolOptions } from '@mcpmx/pool';
import type { InputResolver, ServerSettings } from '@mcpmx/registry';
import type { OAuthClientOptions } from './auth/upstream-logins.js';
import type { ToolSearchSettings } from './catalog/catalog-search.js';
import type { NamingOptions } from './catalog/federated-names.js';
import type {
  InteractionOptions,
  ServerInteractionOptions,
} from './interaction/interaction-types.js';
import type { BackoffStrategy } from './routing/policies/backoff.js';
import type { ConcurrencyLimitOptions } from './routing/policies/concurrency-limit.js';

/** Options of createMultiServerClient. Every part is replaceable; each has a default. */
export interface MultiServerClientOptions extends InteractionOptions {
  /** An `mcpServers` config: a file path (watched), or the parsed object. */
  config?: string | Record<string, unknown>;
  /** Values for `${NAME}` in the config. Default: none. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The only variables `${NAME}` may read: names, or patterns such as `API_*`. A reference to
   * any other is a config issue naming it. Default: any variable in `env`.
   */
  envAllow?: readonly string[];
  /** Variables `${NAME}` never reads, allowlist or not (a gateway's own token). Default: none. */
  envDeny?: readonly string[];
  /**
   * Asks for the config's inputs (`${input:ID}`, VS Code's `inputs`) that `MCPMX_INPUT_<ID>` in
   * `env` does not give: a terminal prompt, say. The client never asks on its own. Default:
   * none (such an input takes its `default`, else is a config error).
   */
  resolveInput?: InputResolver;
  /**
   * More values to keep out of everything the client shows (snapshot, events, errors), besides
   * the config's interpolated values, which are redacted without being listed here.
   */
  secrets?: readonly string[];
  /** Endpoints given directly, owned by the source "static". */
  endpoints?: readonly EndpointDescriptor[];
  /** More sources: DNS, Consul, etcd, or your own. */
  discovery?: readonly Discovery[];
  /**
   * Per-server settings for servers not in the config (stateful, idempotentTools, timeoutMs),
   * and per-server handlers (onElicitation, onSampling, roots, onLog), which override the
   * client's one by one.
   */
  servers?: Readonly<Record<string, Partial<ServerSettings> & ServerInteractionOptions>>;
  naming?: NamingOptions;
  /** Options for every pool, or build pools yourself. */
  pool?: SessionPoolOptions;
  /**
   * Logging in to OAuth-protected HTTP servers (see the README's "Auth"): one login per
   * server, shared by its replicas, reconnects and (with the file store) restarts. A server
   * with `auth` in its settings gets that; any other HTTP server gets OAuth once it answers 401
   * with a Bearer challenge. `false`: only servers with `auth` do. Default: the file store,
   * and no way to log in here (such a server is down with AuthRequiredError, "run `mcpmx login
   * <server>`"). Unused when `pool` brings `auth` or `authProvider`.
   */
  oauth?: OAuthClientOptions | false;
  createPool?: (endpoint: EndpointDescriptor) => SessionPool;
  /** Per server. Default: P2C peak-EWMA. */
  createBalancer?: (server: string) => Balancer;
  /** Per server, for calls with an affinity key or to stateful servers. Default: consistent hash. */
  createAffinityBalancer?: (server: string) => Balancer;
  /** Per replica. Default: opens after 5 consecutive failures, backs off from 5 s to 60 s. */
  createBreaker?: (endpoint: EndpointDescriptor) => Breaker;
  /** Per server. Default: Envoy-style outlier detection. */
  createOutlierDetector?: (server: string) => OutlierDetector;
  /** Which errors count against a replica. Default: transport errors, timeouts, 5xx-like. */
  isFailure?: FailureClassifier;
  /**
   * Retries of a failed call, only when safe (see the README). `backoff` is a strategy
   * (`exponentialBackoff`, `constantBackoff`) or exponential-backoff options. Default: 2
   * retries, exponential from 25 ms to 1 s, randomized; 15 s for all attempts and waits.
   */
  retry?: { retries?: number; backoff?: BackoffStrategy | BackoffOptions; budgetMs?: number };
  /**
   * Per replica: requests in flight at once, and calls waiting for a slot (each waits no
   * longer than its timeout). Default 256 and 10000.
   */
  concurrency?: ConcurrencyLimitOptions;
  /** Default per-call timeout. Default 30000 ms. */
  timeoutMs?: number;
  /**
   * The longest `start()` waits, after discovery, for servers still connecting, and then again
   * for the first catalogs of those that connected. A server that fails its first connect
   * attempt (command not found, connection refused, unknown host, HTTP 401/403/404) is reported
   * at once, without this wait; one still connecting when it runs out is reported with a
   * StartTimeoutError. Either way it keeps reconnecting in the background and joins the catalog
   * once it is up. Default 5000 ms.
   */
  startTimeoutMs?: number;
  /**
   * Result cache for tool calls. Off unless `enabled`; by default only `readOnlyHint` tools
   * are cached, and results with `isError` never are. Identical cacheable calls in flight share
   * one upstream call.
   */
  cache?: {
    enabled?: boolean;
    /** Default 60000 ms. */
    ttlMs?: number;
    /** Default 1000. */
    maxEntries?: number;
    isCacheable?: (call: {
      server: string;
      tool: string;
      annotations?: ToolAnnotations;
    }) => boolean;
  };
  /** Wait after a list_changed before refreshing a server's catalog. Default 100 ms. */
  refreshDebounceMs?: number;
  /**
   * Longest a burst of list_changed notifications can hold a refresh back, so a server that
   * never goes quiet is still followed. Default 1000 ms.
   */
  refreshMaxWaitMs?: number;
  /** How `searchTools` ranks: field boosts, typo tolerance, an optional re-rank hook. */
  toolSearch?: ToolSearchSettings;
  clock?: Clock;
  random?: Random;
}

export const DEFAULT_CLIENT_OPTIONS = {
  timeoutMs: 30_000,
  startTimeoutMs: 5000,
  refreshDebounceMs: 100,
  refreshMaxWaitMs: 1000,
  retry: { retries: 2, backoff: { initialMs: 25, factor: 2, maxMs: 1000 }, budgetMs: 15_000 },
} as const;
