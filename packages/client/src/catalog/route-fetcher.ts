import { type CapabilityKind, UnknownServerError } from '@mcpmx/core';
import { READ_ONLY } from '../requests.js';
import type { RouteTable } from '../routing/route-table.js';
import type { ServerRoute } from '../routing/server-route.js';
import type { CatalogFetcher } from './catalog-state.js';
import { fetchList } from './list-all.js';

/**
 * How the catalog reaches a server: through its route, as `catalog` requests (breaker and
 * outlier detection learn from them; latency estimates and request counts do not).
 */
export function createRouteFetcher(
  routes: RouteTable,
  timeoutOf: (server: string) => number,
): CatalogFetcher {
  const routeOf = (server: string): ServerRoute => {
    const route = routes.get(server);
    if (!route) {
      throw new UnknownServerError(`No server named "${server}" is registered.`, { server });
    }
    return route;
  };
  return {
    capabilities: async (server) =>
      routeOf(server).call({
        method: 'initialize',
        kind: 'catalog',
        facts: READ_ONLY,
        params: undefined,
        options: { timeoutMs: timeoutOf(server) },
        // The pool's own acquire timeout bounds the wait for a session.
        send: async (_via, _params, options, replica) =>
          (await replica.pool.acquire({ signal: options.signal })).serverCapabilities,
      }),
    list: async (server, kind: CapabilityKind) =>
      routeOf(server).call({
        method: `${kind}/list`,
        kind: 'catalog',
        facts: READ_ONLY,
        params: kind,
        options: { timeoutMs: timeoutOf(server) },
        send: (via, listKind, options) => fetchList(server, listKind, via, options),
      }),
  };
}
