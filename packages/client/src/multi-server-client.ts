import {
  createLruCache,
  createResultCache,
  type FanOutResult,
  type FanOutStrategy,
  fanOut,
} from '@mcpmx/aggregator';
import {
  type CallToolResult,
  CancelledError,
  type CapabilityKind,
  type Clock,
  createEmitter,
  type Discovery,
  type Disposer,
  type EndpointDescriptor,
  type FailureClassifier,
  McpmxError,
  type McpOperations,
  type Progress,
  type PromptDescriptor,
  type RequestOptions,
  type ResourceDescriptor,
  type ResourceTemplateDescriptor,
  resolveBackoff,
  systemClock,
  systemRandom,
  type TelemetryEvents,
  type TelemetrySnapshot,
  type ToolAnnotations,
  type ToolDescriptor,
  UnknownToolError,
} from '@mcpmx/core';
import { createSessionPool } from '@mcpmx/pool';
import {
  type ConfigDiscovery,
  createConfigDiscovery,
  createRegistry,
  type Registry,
  type RegistrySnapshot,
  type ServerSettings,
} from '@mcpmx/registry';
import { buildCatalog, type Catalog, type ServerCatalog } from './catalog/catalog.js';
import { closestNames } from './catalog/closest-names.js';
import { createDebouncer } from './catalog/debounce.js';
import { resolveNaming } from './catalog/federated-names.js';
import { fetchServerCatalog } from './catalog/list-all.js';
import { combineHints, type ListHint } from './catalog/list-hints.js';
import { DEFAULT_CLIENT_OPTIONS, type MultiServerClientOptions } from './client-options.js';
import { defaultParts } from './default-parts.js';
import type { Replica } from './routing/replica.js';
import { ReplicaSets } from './routing/replica-sets.js';
import type { RetryFacts } from './routing/retry-safety.js';
import {
  type RetryPolicy,
  type RouteRequest,
  type Router,
  routeCall,
} from './routing/route-call.js';

/** Options of one call. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Per-call timeout; default the server's `timeoutMs`, else the client's. */
  timeoutMs?: number;
  onProgress?: (progress: Progress) => void;
  /** Restart the timeout when progress arrives. */
  resetTimeoutOnProgress?: boolean;
  /** Calls with the same key go to the same replica (consistent hashing). */
  affinityKey?: string;
  /** Send to this replica id only, with no failover: for operators probing one replica. */
  replica?: string;
}

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

export interface ClientEvents extends TelemetryEvents {
  'catalog-changed': { servers: string[]; tools: number; at: number };
  /** Something went wrong in the background: a refresh, a discovery source. */
  error: { error: Error; server?: string };
}

export interface ClientSnapshot extends RegistrySnapshot {
  breakers: Record<string, string>;
  pools: Record<
    string,
    { sessions: number; inFlight: number; waiting: number; lastError?: string }
  >;
}

export interface MultiServerClient {
  /** Starts the sources, connects, and resolves once every server's first catalog fetch ended. */
  start(): Promise<void>;
  listTools(): readonly ToolDescriptor[];
  listPrompts(): readonly PromptDescriptor[];
  listResources(): readonly ResourceDescriptor[];
  listResourceTemplates(): readonly ResourceTemplateDescriptor[];
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
  readResource(uri: string, options?: CallOptions): Promise<{ contents: unknown[] }>;
  getPrompt(
    name: string,
    args?: Record<string, string>,
    options?: CallOptions,
  ): Promise<{ description?: string; messages: unknown[] }>;
  complete(
    params: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<{ completion: unknown }>;
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
  /** Refetches the catalog of one server, or of all. */
  refresh(server?: string): Promise<void>;
  servers(): string[];
  readonly registry: Registry;
  snapshot(): ClientSnapshot;
  /** Point-in-time gauges for metrics (e.g. `createMetrics({ events: client, snapshot: () => client.telemetry() })`). */
  telemetry(): TelemetrySnapshot;
  on: ReturnType<typeof createEmitter<ClientEvents>>['on'];
  once: ReturnType<typeof createEmitter<ClientEvents>>['once'];
  close(): Promise<void>;
}

/**
 * One MCP client over many servers: the composition root. A call resolves name → logical
 * server → healthy replicas → breaker → balancer → pooled session, with timeouts, cancellation,
 * progress, and retries or failover only when they are safe.
 */
export function createMultiServerClient(options: MultiServerClientOptions = {}): MultiServerClient {
  const clock: Clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const naming = resolveNaming(options.naming);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLIENT_OPTIONS.timeoutMs;
  const retry: RetryPolicy = {
    retries: options.retry?.retries ?? DEFAULT_CLIENT_OPTIONS.retry.retries,
    backoff: resolveBackoff(
      { ...DEFAULT_CLIENT_OPTIONS.retry.backoff, ...options.retry?.backoff },
      'retry.backoff',
    ),
    budgetMs: options.retry?.budgetMs ?? DEFAULT_CLIENT_OPTIONS.retry.budgetMs,
  };
  const parts = defaultParts({ clock, random });
  const isFailure: FailureClassifier = options.isFailure ?? parts.isFailure;
  const events = createEmitter<ClientEvents>();
  const registry = createRegistry({ clock });
  const emit = <K extends keyof TelemetryEvents>(event: K, payload: TelemetryEvents[K]) => {
    events.emit(event, payload as ClientEvents[K]);
  };
  const wants = (event: keyof TelemetryEvents) => events.listenerCount(event) > 0;
  const onRequest: Router['onRequest'] = {
    start: (replica) => registry.recordStart(replica),
    end: (replica, outcome) => registry.recordEnd(replica, outcome),
  };
  const cacheEnabled = options.cache?.enabled ?? false;
  const resultCache = createResultCache<CallToolResult>({
    cache: createLruCache<CallToolResult>({
      maxEntries: options.cache?.maxEntries ?? 1000,
      defaultTtlMs: options.cache?.ttlMs ?? 60_000,
      clock,
    }),
    enabled: options.cache?.enabled ?? false,
    ...(options.cache?.isCacheable ? { isCacheable: options.cache.isCacheable } : {}),
    onCacheEvent: (event) => emit('cache', event),
    now: () => clock.now(),
  });
  const disposers: Disposer[] = [];
  const breakerDisposers = new Map<string, Disposer>();

  const replicaSets = new ReplicaSets(
    {
      createPool:
        options.createPool ??
        ((endpoint) => createSessionPool(endpoint, { clock, random, ...options.pool })),
      createBreaker: (endpoint: EndpointDescriptor) => {
        const breaker = (options.createBreaker ?? parts.createBreaker)(endpoint);
        breakerDisposers.get(endpoint.id)?.();
        breakerDisposers.set(
          endpoint.id,
          breaker.on('state-change', (change) =>
            emit('breaker-state', {
              server: endpoint.server,
              replica: endpoint.id,
              from: change.from,
              to: change.to,
              at: change.at,
            }),
          ),
        );
        return breaker;
      },
      createBalancer: options.createBalancer ?? parts.createBalancer,
      createAffinityBalancer: options.createAffinityBalancer ?? parts.createAffinityBalancer,
      createOutlierDetector: (server) => {
        const detector = (options.createOutlierDetector ?? parts.createOutlierDetector)(server);
        detector.on('ejected', (event) =>
          emit('ejection', {
            server,
            replica: event.replica,
            reason: event.reason,
            until: event.until,
            at: clock.now(),
          }),
        );
        detector.on('readmitted', (event) =>
          emit('readmission', { server, replica: event.replica, at: event.at }),
        );
        return detector;
      },
    },
    {
      onStatus: (change) => {
        registry.setStatus(change.replica, change.to, change.reason);
        emit('replica-status', { ...change });
        // A server that was down at start (or arrived later) gets its catalog once it is up.
        if (change.to === 'up' && ready && !serverCatalogs.has(change.server)) {
          scheduleRefresh(change.server);
        }
      },
      onListChanged: (server) => scheduleRefresh(server),
      onReplicasChanged: (server) => {
        if (!replicaSets.get(server)) {
          serverCatalogs.delete(server);
          expiries.delete(server);
          rebuild();
        }
      },
    },
  );

  const serverCatalogs = new Map<string, ServerCatalog>();
  let catalog: Catalog = buildCatalog(serverCatalogs, naming);
  const refreshers = new Map<string, ReturnType<typeof createDebouncer>>();
  let configDiscovery: ConfigDiscovery | undefined;
  const sources: Discovery[] = [...(options.discovery ?? [])];
  let started: Promise<void> | undefined;
  /** The first catalog fetch of start() has ended; later arrivals are fetched on their own. */
  let ready = false;
  let closed = false;

  const settingsCache = new Map<string, { config: unknown; settings: ServerSettings }>();
  /** Per-server settings from the config and the options; recomputed when the config changes. */
  const settingsOf = (server: string): ServerSettings => {
    const config = configDiscovery?.config();
    const cached = settingsCache.get(server);
    if (cached && cached.config === config) return cached.settings;
    const settings: ServerSettings = {
      tags: [],
      stateful: false,
      idempotentTools: [],
      timeoutMs: undefined,
      ...config?.servers[server],
      ...options.servers?.[server],
    };
    settingsCache.set(server, { config, settings });
    return settings;
  };

  /** A server is in a tag group by its config `tags` or by any replica's discovered tags. */
  const hasTag = (server: string, tag: string) =>
    settingsOf(server).tags.includes(tag) ||
    registry.replicas(server).some((replica) => replica.descriptor.tags?.includes(tag));

  const rebuild = () => {
    catalog = buildCatalog(serverCatalogs, naming);
    events.emit('catalog-changed', {
      servers: [...serverCatalogs.keys()],
      tools: catalog.tools.length,
      at: clock.now(),
    });
  };

  /** Fetches one server's lists; `deferRebuild` leaves the merged catalog to the caller. */
  const fetchCatalog = async (server: string, deferRebuild = false) => {
    const set = replicaSets.get(server);
    if (!set) return;
    const fetched = await routeCall(catalogRouter, {
      set,
      method: 'catalog',
      facts: { annotations: { readOnlyHint: true } },
      sampleLatency: false,
      params: undefined,
      send: async (_via, _params, _options, replica) => {
        const session = await replica.pool.acquire();
        return fetchServerCatalog(server, replica.pool, {
          capabilities: session.serverCapabilities,
          timeoutMs: settingsOf(server).timeoutMs ?? timeoutMs,
        });
      },
    });
    if (closed) return;
    for (const kind of ['tools', 'resources', 'resourceTemplates', 'prompts'] as const) {
      registry.setCapabilities(server, kind, fetched[kind]);
    }
    const ttls = Object.values(fetched.hints ?? {}).map((hint) => hint.ttlMs);
    if (ttls.length > 0) expiries.set(server, clock.now() + Math.min(...ttls));
    else expiries.delete(server);
    const previous = serverCatalogs.get(server);
    serverCatalogs.set(server, fetched);
    if (deferRebuild) return;
    try {
      rebuild();
    } catch (error) {
      // A naming conflict under policy "none": keep serving the catalog we had.
      if (previous) serverCatalogs.set(server, previous);
      else serverCatalogs.delete(server);
      catalog = buildCatalog(serverCatalogs, naming);
      throw error;
    }
  };

  /**
   * Lists served from the catalog honour the servers' `ttlMs`: an access after a server's lists
   * expired serves them once more and refreshes them in the background (stale while
   * revalidate; `ttlMs: 0` means every access revalidates, debounced). Servers without hints
   * are refreshed by list_changed and replica changes only.
   */
  const expiries = new Map<string, number>();
  const served = <T>(items: T): T => {
    if (expiries.size === 0) return items;
    const now = clock.now();
    for (const [server, expiresAt] of expiries) {
      if (expiresAt > now) continue;
      expiries.delete(server);
      scheduleRefresh(server);
    }
    return items;
  };

  const scheduleRefresh = (server: string) => {
    if (closed) return;
    let refresher = refreshers.get(server);
    if (!refresher) {
      refresher = createDebouncer(
        clock,
        options.refreshDebounceMs ?? DEFAULT_CLIENT_OPTIONS.refreshDebounceMs,
        () =>
          fetchCatalog(server).catch((error: unknown) => {
            events.emit('error', { error: error as Error, server });
          }),
      );
      refreshers.set(server, refresher);
    }
    refresher.schedule();
  };

  disposers.push(
    registry.on('registered', ({ replica }) => {
      replicaSets.upsert(replica);
      if (ready && !serverCatalogs.has(replica.server)) scheduleRefresh(replica.server);
    }),
    registry.on('updated', ({ replica }) => {
      replicaSets.upsert(replica);
    }),
    registry.on('unregistered', ({ replica }) => {
      void replicaSets.remove(replica.id);
    }),
  );

  /** Calls: telemetry, and replica stats. */
  const router: Router = { retry, isFailure, clock, random, emit, wants, onRequest };
  /** Catalog fetches: not requests an agent made, so no request events and no stats. */
  const catalogRouter: Router = { retry, isFailure, clock, random, emit };

  /** Checks the call, then routes it; not async, so a call adds no promise of its own. */
  const route = <P, T>(
    server: string,
    method: string,
    target: string | undefined,
    facts: RetryFacts,
    callOptions: CallOptions | undefined,
    send: RouteRequest<P, T>['send'],
    params: P,
  ): Promise<T> => {
    if (closed) {
      return Promise.reject(new McpmxError('MCPMX_POOL_CLOSED', 'the client is closed'));
    }
    if (callOptions?.signal?.aborted) {
      return Promise.reject(
        new CancelledError(`${method} ${target ?? ''} was cancelled before it started`.trim(), {
          server,
        }),
      );
    }
    const settings = settingsOf(server);
    const set = replicaSets.get(server);
    if (!set) {
      return Promise.reject(
        new McpmxError('MCPMX_UNKNOWN_SERVER', `No server named "${server}" is registered.`, {
          server,
        }),
      );
    }
    const callTimeout = callOptions?.timeoutMs ?? settings.timeoutMs ?? timeoutMs;
    const pinned = callOptions?.replica;
    if (pinned !== undefined && !set.replicas.has(pinned)) {
      return Promise.reject(
        new McpmxError('MCPMX_UNKNOWN_SERVER', `Server "${server}" has no replica "${pinned}".`, {
          server,
          replica: pinned,
        }),
      );
    }
    return routeCall(router, {
      set:
        pinned === undefined
          ? set
          : { ...set, replicas: new Map([[pinned, set.replicas.get(pinned) as Replica]]) },
      method,
      target,
      facts,
      affinityKey: callOptions?.affinityKey ?? (settings.stateful ? 'stateful' : undefined),
      signal: callOptions?.signal,
      params,
      options: requestOptions(callOptions, callTimeout),
      send,
    });
  };

  /** One tool call on one server, through the result cache when it is cacheable. */
  const callOn = (
    server: string,
    tool: string,
    target: string,
    annotations: ToolAnnotations | undefined,
    args: Record<string, unknown> | undefined,
    callOptions: CallOptions | undefined,
  ): Promise<CallToolResult> => {
    const facts = {
      annotations,
      configuredIdempotent: settingsOf(server).idempotentTools.includes(tool),
    };
    const params = { name: tool, arguments: args ?? {} };
    // Without a cache there is nothing to share: go straight to the route, with the caller's
    // own options (no extra AbortController or options object per call).
    if (!cacheEnabled) {
      return route(server, 'tools/call', target, facts, callOptions, sendCallTool, params);
    }
    const upstream = (signal: AbortSignal | undefined) =>
      route(server, 'tools/call', target, facts, { ...callOptions, signal }, sendCallTool, params);
    return resultCache.call({ server, tool, args, annotations }, upstream, callOptions?.signal);
  };

  /** A call with no options of its own shares one options object per timeout. */
  const plainOptions = new Map<number, RequestOptions>();
  const requestOptions = (
    callOptions: CallOptions | undefined,
    timeout: number,
  ): RequestOptions => {
    if (callOptions === undefined) {
      let shared = plainOptions.get(timeout);
      if (shared === undefined) {
        shared = Object.freeze({ timeoutMs: timeout });
        plainOptions.set(timeout, shared);
      }
      return shared;
    }
    return {
      signal: callOptions.signal,
      timeoutMs: timeout,
      onProgress: callOptions.onProgress,
      resetTimeoutOnProgress: callOptions.resetTimeoutOnProgress,
    };
  };

  const client: MultiServerClient = {
    registry,
    start: () => {
      started ??= (async () => {
        if (options.config !== undefined) {
          configDiscovery = createConfigDiscovery(
            typeof options.config === 'string'
              ? { path: options.config, env: options.env, clock }
              : { config: options.config, env: options.env, clock },
          );
          sources.unshift(configDiscovery);
        }
        if (options.endpoints) {
          registry.applySet({
            source: 'static',
            endpoints: options.endpoints,
            skipped: [],
            at: clock.now(),
          });
        }
        for (const source of sources) {
          disposers.push(
            source.on('error', ({ error }) => events.emit('error', { error })),
            source.on('update', (set) =>
              emit('discovery-update', {
                source: set.source,
                endpoints: set.endpoints.length,
                skipped: set.skipped.length,
                at: clock.now(),
              }),
            ),
          );
          await source.start();
          disposers.push(registry.attach(source));
        }
        if (configDiscovery && !configDiscovery.current()) {
          throw new McpmxError(
            'MCPMX_INVALID_CONFIG',
            'the config could not be read; see the error event',
            {},
          );
        }
        // One merge once every first fetch has ended, not one per server (that was O(n²)).
        const results = await Promise.allSettled(
          replicaSets.servers().map((server) => fetchCatalog(server, true)),
        );
        ready = true;
        try {
          rebuild();
        } catch (error) {
          // A naming conflict under policy "none": serve the servers that fit, in name order.
          const fetched = [...serverCatalogs].sort(([a], [b]) => a.localeCompare(b));
          serverCatalogs.clear();
          for (const [server, serverCatalog] of fetched) {
            serverCatalogs.set(server, serverCatalog);
            try {
              buildCatalog(serverCatalogs, naming);
            } catch {
              serverCatalogs.delete(server);
            }
          }
          catalog = buildCatalog(serverCatalogs, naming);
          throw error;
        }
        for (const [index, result] of results.entries()) {
          if (result.status === 'rejected') {
            events.emit('error', {
              error: result.reason as Error,
              server: replicaSets.servers()[index],
            });
          }
        }
      })();
      return started;
    },
    listTools: () => served(catalog.tools),
    listPrompts: () => served(catalog.prompts),
    listResources: () => served(catalog.resources),
    listResourceTemplates: () => served(catalog.resourceTemplates),
    listCacheHint: (kind) => {
      let combined: ListHint | undefined = { ttlMs: Number.MAX_SAFE_INTEGER, cacheScope: 'public' };
      const now = clock.now();
      for (const [server, fetched] of serverCatalogs) {
        const hint = fetched.hints?.[kind];
        if (!hint && fetched[kind].length === 0) continue;
        const left = Math.max(0, (expiries.get(server) ?? now) - now);
        combined = combineHints(combined, hint && { ...hint, ttlMs: Math.min(hint.ttlMs, left) });
      }
      return combined?.ttlMs === Number.MAX_SAFE_INTEGER ? undefined : combined;
    },
    callTool: (name, args, callOptions) => {
      const entry = catalog.resolveTool(name);
      if (!entry) {
        return Promise.reject(new UnknownToolError(name, closestNames(name, catalog.toolNames())));
      }
      return callOn(
        entry.server,
        entry.name,
        entry.federatedName,
        entry.item.annotations,
        args,
        callOptions,
      );
    },
    fanOut: async (name, args, fanOutOptions = {}) => {
      const offering = new Set(registry.lookup('tools', name));
      const targets = (fanOutOptions.servers ?? [...offering].sort()).filter(
        (server) =>
          offering.has(server) &&
          (fanOutOptions.tag === undefined || hasTag(server, fanOutOptions.tag)),
      );
      if (targets.length === 0) {
        throw new UnknownToolError(name, closestNames(name, catalog.toolNames()));
      }
      return fanOut(
        targets,
        (server, signal) => {
          const tool = registry.capabilities(server).tools.find((item) => item.name === name);
          return callOn(server, name, `${server}/${name}`, tool?.annotations, args, { signal });
        },
        {
          strategy: fanOutOptions.strategy,
          perTargetTimeoutMs: fanOutOptions.perServerTimeoutMs,
          hedgeDelayMs: fanOutOptions.hedgeDelayMs,
          signal: fanOutOptions.signal,
          clock,
        },
      );
    },
    readResource: (uri, callOptions) => {
      const server = catalog.resolveResource(uri);
      if (!server) {
        return Promise.reject(
          new McpmxError('MCPMX_UNKNOWN_TOOL', `No server offers the resource "${uri}".`, {}),
        );
      }
      return route(
        server,
        'resources/read',
        uri,
        { annotations: { readOnlyHint: true } },
        callOptions,
        sendReadResource,
        { uri },
      );
    },
    getPrompt: (name, args, callOptions) => {
      const entry = catalog.resolvePrompt(name);
      if (!entry) {
        return Promise.reject(
          new UnknownToolError(name, closestNames(name, catalog.promptNames())),
        );
      }
      return route(
        entry.server,
        'prompts/get',
        name,
        { annotations: { readOnlyHint: true } },
        callOptions,
        sendGetPrompt,
        { name: entry.name, arguments: args },
      );
    },
    complete: (params, callOptions) => {
      const ref = params.ref as { type?: string; name?: string; uri?: string } | undefined;
      const prompt =
        ref?.type === 'ref/prompt' && ref.name ? catalog.resolvePrompt(ref.name) : undefined;
      const server = prompt?.server ?? (ref?.uri ? catalog.resolveResource(ref.uri) : undefined);
      if (!server) {
        return Promise.reject(
          new McpmxError('MCPMX_UNKNOWN_TOOL', 'No server owns the completion reference.', {}),
        );
      }
      const forwarded = prompt ? { ...params, ref: { ...ref, name: prompt.name } } : params;
      return route(
        server,
        'completion/complete',
        undefined,
        { annotations: { readOnlyHint: true } },
        callOptions,
        sendComplete,
        forwarded,
      );
    },
    catalog: () => catalog,
    refresh: async (server) => {
      const targets = server ? [server] : replicaSets.servers();
      await Promise.all(targets.map((name) => fetchCatalog(name)));
    },
    servers: () => replicaSets.servers(),
    snapshot: () => {
      const base = registry.snapshot();
      const breakers: Record<string, string> = {};
      const pools: ClientSnapshot['pools'] = {};
      for (const server of replicaSets.servers()) {
        for (const replica of replicaSets.get(server)?.replicas.values() ?? []) {
          breakers[replica.id] = replica.breaker.state;
          const stats = replica.pool.stats();
          pools[replica.id] = {
            sessions: stats.sessions,
            inFlight: stats.inFlight,
            waiting: stats.waiting,
            ...(stats.lastError ? { lastError: stats.lastError } : {}),
          };
        }
      }
      return { ...base, breakers, pools };
    },
    telemetry: () => ({
      replicas: replicaSets.servers().flatMap((server) =>
        [...(replicaSets.get(server)?.replicas.values() ?? [])].map((replica) => {
          const stats = replica.pool.stats();
          return {
            server,
            replica: replica.id,
            status: stats.status,
            breaker: replica.breaker.state,
            sessions: { open: stats.sessions, connecting: stats.connecting },
            inFlight: stats.inFlight,
          };
        }),
      ),
    }),
    on: events.on,
    once: events.once,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const refresher of refreshers.values()) refresher.cancel();
      for (const dispose of disposers.splice(0)) dispose();
      for (const dispose of breakerDisposers.values()) dispose();
      await Promise.allSettled(sources.map((source) => source.stop()));
      await replicaSets.close();
      registry.close();
      events.removeAllListeners();
    },
  };
  return client;
}

// How each kind of request is sent on the replica the router chose (its ready session or its
// pool): made once, so a call allocates no closure for it.
const sendCallTool: RouteRequest<ToolCallParams, CallToolResult>['send'] = (via, params, options) =>
  via.callTool(params, options);
const sendReadResource: RouteRequest<{ uri: string }, { contents: unknown[] }>['send'] = (
  via,
  params,
  options,
) => via.readResource(params, options);
const sendGetPrompt: RouteRequest<
  { name: string; arguments?: Record<string, string> },
  { description?: string; messages: unknown[] }
>['send'] = (via, params, options) => via.getPrompt(params, options);
const sendComplete: RouteRequest<Record<string, unknown>, { completion: unknown }>['send'] = (
  via,
  params,
  options,
) => via.complete(params, options);

type ToolCallParams = Parameters<McpOperations['callTool']>[0];
