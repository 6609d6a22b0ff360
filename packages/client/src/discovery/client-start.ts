import type { Clock, Redactor } from '@mcpmx/core';
import type { CatalogState } from '../catalog/catalog-state.js';
import type { StartResult } from '../client-api.js';
import type { createLifecycle } from '../client-lifecycle.js';
import type { createFirstContact, PoolsOf } from './first-contact.js';
import { startServers } from './start-servers.js';

export interface ClientStartParts {
  lifecycle: ReturnType<typeof createLifecycle>;
  sources: { start(): Promise<void> };
  servers: () => readonly string[];
  poolsOf: PoolsOf;
  firstContact: ReturnType<typeof createFirstContact>;
  catalog: CatalogState;
  clock: Clock;
  startTimeoutMs: number;
  redactor: Redactor;
  onError: (error: Error, server: string) => void;
}

/**
 * The client's `start()`: discovery, then the servers' first contact and catalogs (see
 * startServers), once; later calls get the same promise. A server that came up while start()
 * decided is fetched at the end; later ones when they come up.
 */
export function createClientStart(parts: ClientStartParts): () => Promise<StartResult> {
  const { lifecycle, firstContact, catalog } = parts;
  let started: Promise<StartResult> | undefined;
  let failedAtStart: readonly string[] = [];
  return () => {
    if (lifecycle.state === 'closed') return Promise.reject(lifecycle.refusal('start()'));
    started ??= (async () => {
      lifecycle.set('starting');
      try {
        await parts.sources.start();
        const result = await startServers({
          servers: parts.servers(),
          poolsOf: parts.poolsOf,
          firstContact,
          catalog,
          clock: parts.clock,
          timeoutMs: parts.startTimeoutMs,
        });
        for (const { server, error } of result.failed) parts.onError(error, server);
        failedAtStart = result.failed.map(({ server }) => server);
        return {
          up: result.up,
          failed: result.failed.map(({ server, error }) => ({
            server,
            error: parts.redactor.redactError(error) as Error,
          })),
        };
      } finally {
        firstContact.stop();
        if (lifecycle.state === 'starting') {
          lifecycle.set('started');
          for (const server of failedAtStart) {
            const up = parts.poolsOf(server)?.some((pool) => pool.status === 'up');
            if (up && catalog.needsFetch(server)) catalog.schedule(server);
          }
        }
      }
    })();
    return started;
  };
}
