import {
  type Clock,
  checkNumber,
  createEmitter,
  createRedactor,
  systemClock,
  systemRandom,
  type TelemetryEvents,
  UnknownServerError,
} from '@mcpmx/core';
import { createSessionPool } from '@mcpmx/pool';
import { createRegistry } from '@mcpmx/registry';
import { createUpstreamLogins } from './auth/upstream-logins.js';
import { CatalogState } from './catalog/catalog-state.js';
import { resolveNaming } from './catalog/federated-names.js';
import { createRouteFetcher } from './catalog/route-fetcher.js';
import { catalogCalls } from './catalog-calls.js';
import type { ClientEvents, MultiServerClient } from './client-api.js';
import { createCalls } from './client-calls.js';
import { createLifecycle } from './client-lifecycle.js';
import { DEFAULT_CLIENT_OPTIONS, type MultiServerClientOptions } from './client-options.js';
import { withRedaction } from './client-redaction.js';
import { buildSnapshot, buildTelemetry } from './client-snapshot.js';
import { defaultParts } from './default-parts.js';
import { createClientStart } from './discovery/client-start.js';
import { createFirstContact } from './discovery/first-contact.js';
import { createSources } from './discovery/start-sources.js';
import { interactionFacade } from './interaction/interaction-facade.js';
import { createInteractionHub } from './interaction/interaction-hub.js';
import type { CallEnvironment } from './routing/attempt-outcome.js';
import { composeCallPath } from './routing/call-path.js';
import { resolveBackoffStrategy } from './routing/policies/backoff.js';
import { RouteTable } from './routing/route-table.js';
import { createServerSettings, watchPolicies } from './server-settings.js';

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
    onUpdate: (update) => {
      environment.emit('discovery-update', update);
      // A reload may have changed a server's filters or overrides: the catalog applies them.
      if (policies.changed()) catalog.reapplyPolicies();
    },
  });
  const settingsOf = createServerSettings(sources.config, options.servers);
  const policies = watchPolicies(() => routes.servers(), settingsOf);
  const timeoutOf = (server: string) => settingsOf(server).timeoutMs ?? timeoutMs;
  const whenStarted = (then: () => void) => lifecycle.state === 'started' && then();
  const firstContact = createFirstContact(clock);
  const interactions = createInteractionHub({
    options,
    servers: options.servers,
    clock,
    redactor,
    poolsOf: (server) => poolsOf(server) ?? [],
  });
  const logins = createUpstreamLogins({
    oauth: options.oauth,
    authOf: (server) => settingsOf(server).auth,
    ownAuth: options.pool?.auth !== undefined || options.pool?.authProvider !== undefined,
  });
  const createPool =
    options.createPool ??
    ((endpoint) => {
      const auth = logins.authFor(endpoint);
      return createSessionPool(endpoint, {
        clock,
        random,
        ...options.pool,
        ...(auth ? { auth } : {}),
        interactions: interactions.poolInteractions(endpoint),
      });
    });

  const routes: RouteTable = new RouteTable(
    registry,
    {
      createPool: (endpoint) => {
        const pool = createPool(endpoint);
        firstContact.track(pool);
        interactions.poolAdded(endpoint.server, pool);
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
    policyOf: settingsOf,
    onUnmatched: (server, warnings) =>
      events.emit('warning', { server, warnings, at: clock.now() }),
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
    interactions,
  });
  const listed = <T>(items: T): T => {
    lifecycle.check('listing');
    return catalog.served(items);
  };
  const poolsOf = (server: string) => {
    const route = routes.get(server);
    return route && [...route.replicas.values()].map((replica) => replica.pool);
  };

  const facade: Omit<MultiServerClient, 'redact'> = {
    registry,
    start: createClientStart({
      lifecycle,
      sources,
      servers: () => routes.servers(),
      poolsOf,
      firstContact,
      catalog,
      clock,
      startTimeoutMs,
      redactor,
      onError: (error, server) => events.emit('error', { error, server }),
    }),
    listTools: () => listed(catalog.catalog.tools),
    listPrompts: () => listed(catalog.catalog.prompts),
    listResources: () => listed(catalog.catalog.resources),
    listResourceTemplates: () => listed(catalog.catalog.resourceTemplates),
    listCacheHint: (kind) => catalog.cacheHint(kind),
    ...catalogCalls({
      catalog,
      lifecycle,
      route,
      callOn,
      registry,
      settingsOf,
      clock,
      toolSearch: options.toolSearch,
    }),
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
    ...interactionFacade({
      hub: interactions,
      lifecycle,
      catalog: () => catalog.catalog,
      servers: () => routes.servers(),
      hasServer: (server) => routes.get(server) !== undefined,
      poolsOf: (server) => poolsOf(server) ?? [],
      refresh: (server) =>
        catalog
          .refresh(server)
          .catch((error: unknown) => events.emit('error', { error: error as Error, server })),
    }),
    snapshot: () => buildSnapshot(routes, catalog, clock.now(), lifecycle.state),
    telemetry: () => buildTelemetry(routes),
    on: events.on,
    once: events.once,
    close: async () => {
      if (lifecycle.state === 'closed') return;
      lifecycle.set('closed');
      firstContact.stop();
      interactions.close();
      catalog.close();
      await sources.stop();
      await routes.close();
      await logins.close();
      registry.close();
      events.removeAllListeners();
    },
  };
  // What leaves the client passes the redactor: errors, events, snapshot, telemetry.
  return withRedaction(facade, redactor);
}
