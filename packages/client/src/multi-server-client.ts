import {
  type Clock,
  checkNumber,
  closestNames,
  createEmitter,
  createRedactor,
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
import { CatalogState } from './catalog/catalog-state.js';
import { completionTarget } from './catalog/completion-target.js';
import { resolveNaming } from './catalog/federated-names.js';
import { createRouteFetcher } from './catalog/route-fetcher.js';
import type { ClientEvents, MultiServerClient, StartResult } from './client-api.js';
import { createCalls } from './client-calls.js';
import { createLifecycle } from './client-lifecycle.js';
import { DEFAULT_CLIENT_OPTIONS, type MultiServerClientOptions } from './client-options.js';
import { withRedaction } from './client-redaction.js';
import { buildSnapshot, buildTelemetry } from './client-snapshot.js';
import { defaultParts } from './default-parts.js';
import { createFirstContact } from './discovery/first-contact.js';
import { startServers } from './discovery/start-servers.js';
import { createSources } from './discovery/start-sources.js';
import { fanOutCall } from './fan-out-call.js';
import { READ_ONLY, sendComplete, sendGetPrompt, sendReadResource } from './requests.js';
import type { CallEnvironment } from './routing/attempt-outcome.js';
import { composeCallPath } from './routing/call-path.js';
import { resolveBackoffStrategy } from './routing/policies/backoff.js';
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
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_CLIENT_OPTIONS.startTimeoutMs;
  checkNumber('startTimeoutMs', startTimeoutMs, { min: 0, exclusiveMin: true });
  const retry = { ...DEFAULT_CLIENT_OPTIONS.retry, ...options.retry };
  const parts = defaultParts({ clock, random });
  const events = createEmitter<ClientEvents>();
  const lifecycle = createLifecycle();
  const redactor = createRedactor(options.secrets);
  const registry = createRegistry({ clock });
  const environment: CallEnvironment = {
    clock,
    isFailure: options.isFailure ?? parts.isFailure,
    emit: <K extends keyof TelemetryEvents>(event: K, payload: TelemetryEvents[K]) =>
      events.emit(event, payload as ClientEvents[K]),
    wants: (event) => events.listenerCount(event) > 0,
  };
  const sources = createSources({
    ...options,
    clock,
    registry,
    onError: (error) => events.emit('error', { error }),
    onSecrets: (secrets) => redactor.addSecrets(secrets),
    onUpdate: (update) => environment.emit('discovery-update', update),
  });
  const settingsOf = createServerSettings(sources.config, options.servers);
  const timeoutOf = (server: string) => settingsOf(server).timeoutMs ?? timeoutMs;
  const whenStarted = (then: () => void) => lifecycle.state === 'started' && then();
  const firstContact = createFirstContact(clock);
  const createPool =
    options.createPool ??
    ((endpoint) => createSessionPool(endpoint, { clock, random, ...options.pool }));

  const routes: RouteTable = new RouteTable(
    registry,
    {
      createPool: (endpoint) => {
        const pool = createPool(endpoint);
        firstContact.track(pool);
        return pool;
      },
      createBreaker: options.createBreaker ?? parts.createBreaker,
      createBalancer: options.createBalancer ?? parts.createBalancer,
      createAffinityBalancer: options.createAffinityBalancer ?? parts.createAffinityBalancer,
      createOutlierDetector: options.createOutlierDetector ?? parts.createOutlierDetector,
      concurrency: options.concurrency ?? {},
    },
    composeCallPath(environment, {
      retry: { retries: retry.retries, backoff: resolveBackoffStrategy(retry.backoff) },
      budgetMs: retry.budgetMs,
    }),
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
    fetcher: createRouteFetcher(routes, timeoutOf),
    onChange: (_current, change) => events.emit('catalog-changed', { ...change, at: clock.now() }),
    onError: (error, server) => events.emit('error', { error: error as Error, server }),
  });
  const { route, callOn } = createCalls({
    routes,
    lifecycle,
    settingsOf,
    timeoutMs,
    cache: options.cache,
    clock,
    emit: environment.emit,
    emitCallEnd: (payload) => events.emit('call-end', payload),
    wants: (event) => events.listenerCount(event) > 0,
  });
  /** A name the catalog does not know: before start() or after close(), that is why. */
  const unknown = (what: string, target: string | undefined, error: () => Error) =>
    Promise.reject(lifecycle.refusal(what, target) ?? error());
  const listed = <T>(items: T): T => {
    lifecycle.check('listing');
    return catalog.served(items);
  };
  let started: Promise<StartResult> | undefined;
  let failedAtStart: readonly string[] = [];
  const poolsOf = (server: string) => {
    const route = routes.get(server);
    return route && [...route.replicas.values()].map((replica) => replica.pool);
  };

  const facade: Omit<MultiServerClient, 'redact'> = {
    registry,
    start: () => {
      if (lifecycle.state === 'closed') return Promise.reject(lifecycle.refusal('start()'));
      started ??= (async () => {
        lifecycle.set('starting');
        try {
          await sources.start();
          const result = await startServers({
            servers: routes.servers(),
            poolsOf,
            firstContact,
            catalog,
            clock,
            timeoutMs: startTimeoutMs,
          });
          for (const { server, error } of result.failed) events.emit('error', { error, server });
          failedAtStart = result.failed.map(({ server }) => server);
          return {
            up: result.up,
            failed: result.failed.map(({ server, error }) => ({
              server,
              error: redactor.redactError(error) as Error,
            })),
          };
        } finally {
          firstContact.stop();
          if (lifecycle.state === 'starting') {
            lifecycle.set('started');
            // A server that came up while start() decided is fetched now; later ones on 'up'.
            for (const server of failedAtStart) {
              const up = poolsOf(server)?.some((pool) => pool.status === 'up');
              if (up && catalog.needsFetch(server)) catalog.schedule(server);
            }
          }
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
      if (!entry) {
        const names = () => catalog.catalog.toolNames();
        return unknown(
          'tools/call',
          name,
          () => new UnknownToolError(name, closestNames(name, names(), { substrings: true })),
        );
      }
      const { annotations } = entry.item;
      return callOn(entry.server, entry.name, entry.federatedName, annotations, args, callOptions);
    },
    fanOut: (name, args, fanOutOptions = {}) => {
      const refusal = lifecycle.refusal('fanOut', name);
      if (refusal) return Promise.reject(refusal);
      const hasTag = (server: string, tag: string) =>
        settingsOf(server).tags.includes(tag) ||
        registry.replicas(server).some((entry) => entry.descriptor.tags?.includes(tag));
      const callOne = (
        server: string,
        tool: string,
        toolArgs: typeof args,
        signal: AbortSignal,
      ) => {
        const annotations = catalog.catalog.serverTool(server, tool)?.annotations;
        return callOn(server, tool, `${server}/${tool}`, annotations, toolArgs, { signal });
      };
      const parts = { catalog: catalog.catalog, hasTag, callOn: callOne, clock };
      return fanOutCall(parts, name, args, fanOutOptions);
    },
    readResource: (uri, callOptions) => {
      const server = catalog.catalog.resolveResource(uri);
      if (!server) return unknown('resources/read', uri, () => new UnknownResourceError(uri));
      const params = { uri };
      return route(server, 'resources/read', uri, READ_ONLY, callOptions, sendReadResource, params);
    },
    getPrompt: (name, args, callOptions) => {
      const entry = catalog.catalog.resolvePrompt(name);
      if (!entry) {
        const names = () => catalog.catalog.promptNames();
        return unknown(
          'prompts/get',
          name,
          () => new UnknownPromptError(name, closestNames(name, names(), { substrings: true })),
        );
      }
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
      const target = completionTarget(catalog.catalog, params);
      if ('error' in target) return unknown('completion/complete', undefined, target.error);
      const { server, forwarded } = target;
      const method = 'completion/complete';
      return route(server, method, undefined, READ_ONLY, callOptions, sendComplete, forwarded);
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
      firstContact.stop();
      catalog.close();
      await sources.stop();
      await routes.close();
      registry.close();
      events.removeAllListeners();
    },
  };
  // What leaves the client passes the redactor: errors, events, snapshot, telemetry.
  return withRedaction(facade, redactor);
}
