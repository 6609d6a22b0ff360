import { createLruCache, createResultCache } from '@mcpmx/aggregator';
import {
  type Clock,
  createEmitter,
  systemClock,
  systemRandom,
  type TelemetryEvents,
  UnknownPromptError,
  UnknownResourceError,
  UnknownServerError,
  UnknownToolError,
} from '@mcpmx/core';
import { createSessionPool } from '@mcpmx/pool';
import { createRegistry } from '@mcpmx/registry';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { CatalogState } from './catalog/catalog-state.js';
import { closestNames } from './catalog/closest-names.js';
import { resolveNaming } from './catalog/federated-names.js';
import { createRouteFetcher } from './catalog/route-fetcher.js';
import type { ClientEvents, MultiServerClient } from './client-api.js';
import { createLifecycle } from './client-lifecycle.js';
import { DEFAULT_CLIENT_OPTIONS, type MultiServerClientOptions } from './client-options.js';
import { buildSnapshot, buildTelemetry } from './client-snapshot.js';
import { defaultParts } from './default-parts.js';
import { createSources } from './discovery/start-sources.js';
import { fanOutCall } from './fan-out-call.js';
import {
  type CallOptions,
  createRequestOptions,
  READ_ONLY,
  sendCallTool,
  sendComplete,
  sendGetPrompt,
  sendReadResource,
} from './requests.js';
import type { CallEnvironment } from './routing/attempt-outcome.js';
import type { Send } from './routing/call-context.js';
import { composeCallPath } from './routing/call-path.js';
import { resolveBackoffStrategy } from './routing/policies/backoff.js';
import type { RetryFacts } from './routing/retry-safety.js';
import { RouteTable } from './routing/route-table.js';
import { createServerSettings } from './server-settings.js';

/**
 * One MCP client over many servers: the composition root. It builds the parts and returns a
 * facade; the work is theirs. A call resolves its name in the catalog (catalog/), then runs
 * through its server's route (routing/): budget → retry → pick → breaker gate → concurrency
 * limit → send. Discovery (discovery/) feeds the registry, whose events keep the routes.
 */
export function createMultiServerClient(options: MultiServerClientOptions = {}): MultiServerClient {
  const clock: Clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLIENT_OPTIONS.timeoutMs;
  const retry = { ...DEFAULT_CLIENT_OPTIONS.retry, ...options.retry };
  const parts = defaultParts({ clock, random });
  const events = createEmitter<ClientEvents>();
  const lifecycle = createLifecycle();
  const registry = createRegistry({ clock });
  const environment: CallEnvironment = {
    clock,
    isFailure: options.isFailure ?? parts.isFailure,
    emit: <K extends keyof TelemetryEvents>(event: K, payload: TelemetryEvents[K]) =>
      events.emit(event, payload as ClientEvents[K]),
    wants: (event) => events.listenerCount(event) > 0,
  };
  const callPath = composeCallPath(environment, {
    retry: { retries: retry.retries, backoff: resolveBackoffStrategy(retry.backoff) },
    budgetMs: retry.budgetMs,
  });
  const sources = createSources({
    ...options,
    clock,
    registry,
    onError: (error) => events.emit('error', { error }),
    onUpdate: (update) => environment.emit('discovery-update', update),
  });
  const settingsOf = createServerSettings(sources.config, options.servers);
  const timeoutOf = (server: string, callOptions?: CallOptions) =>
    callOptions?.timeoutMs ?? settingsOf(server).timeoutMs ?? timeoutMs;
  const whenStarted = (then: () => void) => lifecycle.state === 'started' && then();

  const routes: RouteTable = new RouteTable(
    registry,
    {
      createPool:
        options.createPool ??
        ((endpoint) => createSessionPool(endpoint, { clock, random, ...options.pool })),
      createBreaker: options.createBreaker ?? parts.createBreaker,
      createBalancer: options.createBalancer ?? parts.createBalancer,
      createAffinityBalancer: options.createAffinityBalancer ?? parts.createAffinityBalancer,
      createOutlierDetector: options.createOutlierDetector ?? parts.createOutlierDetector,
      concurrency: options.concurrency ?? {},
    },
    callPath,
    environment,
    {
      replicaStatus: (change) => {
        environment.emit('replica-status', change);
        // A server that was down at start (or arrived later) gets its lists once it is up.
        if (change.to === 'up' && catalog.needsFetch(change.server)) {
          whenStarted(() => catalog.schedule(change.server));
        }
      },
      breakerState: (change) => environment.emit('breaker-state', change),
      ejection: (event) => environment.emit('ejection', event),
      readmission: (event) => environment.emit('readmission', event),
      listChanged: (server, kind) => whenStarted(() => catalog.schedule(server, kind)),
      routeAdded: (server) => whenStarted(() => catalog.schedule(server)),
      routeRemoved: (server) => catalog.remove(server),
    },
  );
  const catalog: CatalogState = new CatalogState({
    clock,
    random,
    naming: resolveNaming(options.naming),
    debounceMs: options.refreshDebounceMs ?? DEFAULT_CLIENT_OPTIONS.refreshDebounceMs,
    maxWaitMs: options.refreshMaxWaitMs ?? DEFAULT_CLIENT_OPTIONS.refreshMaxWaitMs,
    fetcher: createRouteFetcher(routes, (server) => timeoutOf(server)),
    onChange: (current, servers) =>
      events.emit('catalog-changed', { servers, tools: current.tools.length, at: clock.now() }),
    onError: (error, server) => events.emit('error', { error: error as Error, server }),
  });
  const requestOptions = createRequestOptions();
  const resultCache = createResultCache<CallToolResult>({
    cache: createLruCache<CallToolResult>({
      maxEntries: options.cache?.maxEntries ?? 1000,
      defaultTtlMs: options.cache?.ttlMs ?? 60_000,
      clock,
    }),
    enabled: options.cache?.enabled ?? false,
    ...(options.cache?.isCacheable ? { isCacheable: options.cache.isCacheable } : {}),
    onCacheEvent: (event) => environment.emit('cache', event),
    now: () => clock.now(),
  });

  /** Checks the call, then hands it to its server's route; adds no promise of its own. */
  const route = <P, T>(
    server: string,
    method: string,
    target: string | undefined,
    facts: RetryFacts,
    callOptions: CallOptions | undefined,
    send: Send<P, T>,
    params: P,
  ): Promise<T> => {
    const refusal = lifecycle.refusal(`${method} ${target ?? ''}`.trim());
    if (refusal) return Promise.reject(refusal);
    const serverRoute = routes.get(server);
    const pinned = callOptions?.replica;
    if (!serverRoute || (pinned !== undefined && !serverRoute.replicas.has(pinned))) {
      const what = serverRoute
        ? `Server "${server}" has no replica "${pinned}".`
        : `No server named "${server}" is registered.`;
      return Promise.reject(new UnknownServerError(what, { server, replica: pinned }));
    }
    return serverRoute.call({
      method,
      target,
      facts,
      affinityKey:
        callOptions?.affinityKey ?? (settingsOf(server).stateful ? 'stateful' : undefined),
      replica: pinned,
      signal: callOptions?.signal,
      params,
      options: requestOptions(callOptions, timeoutOf(server, callOptions)),
      send,
    });
  };

  /** One tool call on one server, through the result cache when it is cacheable. */
  const callOn = (
    server: string,
    tool: string,
    target: string,
    args: Record<string, unknown> | undefined,
    callOptions: CallOptions | undefined,
  ): Promise<CallToolResult> => {
    const annotations = catalog.catalog.serverTool(server, tool)?.annotations;
    const facts = {
      annotations,
      configuredIdempotent: settingsOf(server).idempotentTools.includes(tool),
    };
    const params = { name: tool, arguments: args ?? {} };
    if (!options.cache?.enabled) {
      return route(server, 'tools/call', target, facts, callOptions, sendCallTool, params);
    }
    const upstream = (signal: AbortSignal | undefined) =>
      route(server, 'tools/call', target, facts, { ...callOptions, signal }, sendCallTool, params);
    return resultCache.call({ server, tool, args, annotations }, upstream, callOptions?.signal);
  };

  let started: Promise<void> | undefined;
  const unknown = <E extends Error>(error: E) => {
    return Promise.reject(lifecycle.refusal('this call') ?? error);
  };
  const listed = <T>(items: T): T => {
    lifecycle.check('listing');
    return catalog.served(items);
  };

  return {
    registry,
    start: () => {
      if (lifecycle.state === 'closed') return Promise.reject(lifecycle.refusal('start()'));
      started ??= (async () => {
        lifecycle.set('starting');
        try {
          await sources.start();
          await catalog.fetchAll(routes.servers());
        } finally {
          if (lifecycle.state === 'starting') lifecycle.set('started');
        }
      })();
      return started;
    },
    listTools: () => listed(catalog.catalog.tools),
    listPrompts: () => listed(catalog.catalog.prompts),
    listResources: () => listed(catalog.catalog.resources),
    listResourceTemplates: () => listed(catalog.catalog.resourceTemplates),
    listCacheHint: (kind) => catalog.cacheHint(kind),
    callTool: (name, args, callOptions) => {
      const entry = catalog.catalog.resolveTool(name);
      if (!entry)
        return unknown(new UnknownToolError(name, closestNames(name, catalog.catalog.toolNames())));
      return callOn(entry.server, entry.name, entry.federatedName, args, callOptions);
    },
    fanOut: (name, args, fanOutOptions = {}) => {
      const refusal = lifecycle.refusal(`fanOut ${name}`);
      if (refusal) return Promise.reject(refusal);
      return fanOutCall(
        {
          catalog: () => catalog.catalog,
          hasTag: (server, tag) =>
            settingsOf(server).tags.includes(tag) ||
            registry.replicas(server).some((entry) => entry.descriptor.tags?.includes(tag)),
          callOn: (server, tool, toolArgs, signal) =>
            callOn(server, tool, `${server}/${tool}`, toolArgs, { signal }),
          clock,
        },
        name,
        args,
        fanOutOptions,
      );
    },
    readResource: (uri, callOptions) => {
      const server = catalog.catalog.resolveResource(uri);
      if (!server) return unknown(new UnknownResourceError(uri));
      return route(server, 'resources/read', uri, READ_ONLY, callOptions, sendReadResource, {
        uri,
      });
    },
    getPrompt: (name, args, callOptions) => {
      const entry = catalog.catalog.resolvePrompt(name);
      if (!entry)
        return unknown(
          new UnknownPromptError(name, closestNames(name, catalog.catalog.promptNames())),
        );
      const params = { name: entry.name, arguments: args };
      return route(
        entry.server,
        'prompts/get',
        name,
        READ_ONLY,
        callOptions,
        sendGetPrompt,
        params,
      );
    },
    complete: (params, callOptions) => {
      const ref = params.ref as { type?: string; name?: string; uri?: string } | undefined;
      const prompt =
        ref?.type === 'ref/prompt' && ref.name
          ? catalog.catalog.resolvePrompt(ref.name)
          : undefined;
      const server =
        prompt?.server ?? (ref?.uri ? catalog.catalog.resolveResource(ref.uri) : undefined);
      if (!server) {
        const what = ref?.uri ?? ref?.name ?? '(no ref)';
        return unknown(
          prompt || ref?.uri ? new UnknownResourceError(what) : new UnknownPromptError(what, []),
        );
      }
      const forwarded = prompt ? { ...params, ref: { ...ref, name: prompt.name } } : params;
      return route(
        server,
        'completion/complete',
        undefined,
        READ_ONLY,
        callOptions,
        sendComplete,
        forwarded,
      );
    },
    catalog: () => catalog.catalog,
    refresh: async (server) => {
      lifecycle.check('refresh()');
      if (server !== undefined && !routes.get(server)) {
        throw new UnknownServerError(`No server named "${server}" is registered.`, { server });
      }
      await Promise.all(
        (server ? [server] : routes.servers()).map((name) => catalog.refresh(name)),
      );
    },
    servers: () => routes.servers(),
    snapshot: () => buildSnapshot(routes, catalog, clock.now(), lifecycle.state),
    telemetry: () => buildTelemetry(routes),
    on: events.on,
    once: events.once,
    close: async () => {
      if (lifecycle.state === 'closed') return;
      lifecycle.set('closed');
      catalog.close();
      await sources.stop();
      await routes.close();
      registry.close();
      events.removeAllListeners();
    },
  };
}
