import type { SessionPool } from '@mcpmx/core';
import type { InteractionHub } from './interaction-hub.js';

export interface ReadvertiseParts {
  hub: InteractionHub;
  servers: () => string[];
  poolsOf: (server: string) => readonly SessionPool[];
  /** Refetches one server's lists; a failure is reported, not thrown. */
  refresh: (server: string) => Promise<void>;
}

/** Why a renewed session closed, as its pool reports it. */
const REASON = 'the advertised capabilities changed';

/**
 * `client.readvertise()`: asks `advertise` (and the handlers) again, renews the sessions of every
 * server whose sessions were told something else (SessionPool.renewSessions: graceful, calls in
 * flight finish on the old sessions), then refetches those servers' lists, since a server may
 * list tools by what its client can do. Resolves with the servers renewed, once their new
 * sessions are connected (or failed to) and their lists are in. One runs at a time; a call made
 * meanwhile runs after it, and finds nothing left to renew unless `advertise` changed again.
 */
export function createReadvertise(parts: ReadvertiseParts): () => Promise<string[]> {
  let last: Promise<unknown> = Promise.resolve();
  const run = async () => {
    const changed = parts.hub.changedSince(parts.servers());
    await Promise.all(
      changed.map(async (server) => {
        await Promise.all(parts.poolsOf(server).map((pool) => pool.renewSessions?.(REASON)));
        await parts.refresh(server);
      }),
    );
    return changed;
  };
  return () => {
    const next = last.then(run);
    last = next.catch(() => undefined);
    return next;
  };
}
