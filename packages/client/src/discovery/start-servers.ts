import { type Clock, StartTimeoutError } from '@mcpmx/core';
import type { CatalogState } from '../catalog/catalog-state.js';
import type { StartFailure } from '../client-api.js';
import type { createFirstContact, PoolsOf } from './first-contact.js';

export interface StartServersParts {
  servers: readonly string[];
  poolsOf: PoolsOf;
  firstContact: ReturnType<typeof createFirstContact>;
  catalog: CatalogState;
  clock: Clock;
  /** startTimeoutMs: the bound of each wait, for first contact, then for the first catalogs. */
  timeoutMs: number;
}

/**
 * The servers' part of `start()`: waits for each server's first contact, then fetches the
 * catalogs of those that are up, all in one build. Each wait is bounded by `timeoutMs`: a
 * server that failed its first attempt is reported at once, one still connecting at the first
 * deadline with a StartTimeoutError; so are the catalogs still on their way at the second, and
 * their lists are adopted when they arrive. The fetch waits for the contact phase, so that one
 * build, in name order, decides the names (a server that answered first gets no other name).
 */
export async function startServers(
  parts: StartServersParts,
): Promise<{ up: string[]; failed: StartFailure[] }> {
  const { servers, clock, timeoutMs } = parts;
  const contact = await parts.firstContact.wait(servers, parts.poolsOf, timeoutMs);
  const failed: StartFailure[] = [];
  const reachable: string[] = [];
  for (const server of servers) {
    const outcome = contact.get(server);
    if (outcome === undefined || outcome.up) reachable.push(server);
    else failed.push({ server, error: outcome.error });
  }
  if (reachable.length === 0) return { up: [], failed };
  const fetching = parts.catalog.fetchAll(reachable);
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = clock.setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    if ((await Promise.race([fetching, late])) !== 'late') return { up: reachable, failed };
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
  }
  // Still fetching: reported, and adopted when it arrives (a failure then is an 'error' event).
  fetching.catch(() => undefined);
  for (const server of reachable) {
    const message = `the catalog of ${server} did not arrive within startTimeoutMs (${timeoutMs} ms); it joins the catalog when it does`;
    failed.push({ server, error: new StartTimeoutError(message, { server, timeoutMs }) });
  }
  return { up: [], failed };
}
