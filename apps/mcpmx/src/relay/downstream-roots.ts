import type { MultiServerClient, Root } from '@mcpmx/client';
import type { Server } from '@modelcontextprotocol/server';

/** How long a downstream client gets to answer the gateway's own `roots/list`. */
export const DOWNSTREAM_ROOTS_TIMEOUT_MS = 10_000;

/** One downstream connection whose roots count. */
export interface RootsMember {
  /** Reads its roots again (they are asked of it, and the upstreams told of any change). */
  refresh(): void;
  /** It ended: its roots no longer count. Idempotent. */
  leave(): void;
}

/** The roots the gateway sets on its upstreams, from the roots of its downstream clients. */
export interface DownstreamRoots {
  /**
   * Counts `server`'s downstream client once its roots are read (`refresh`), and reads them
   * again on each `notifications/roots/list_changed` it sends. A client that does not declare
   * roots never counts.
   */
  join(server: Server): RootsMember;
}

/**
 * Upstream servers ask for roots outside any call (server-filesystem and server-everything do,
 * at start-up and on every change), and a `roots/list` that does not come on a call's response
 * stream is never tied to a call (see @mcpmx/client, "When a server asks"): it is answered with
 * the client's roots. This keeps those the roots every downstream client agrees on: the roots
 * (by URI) that each connected client that declares roots lists, set with `client.setRoots`,
 * which tells the upstreams when they change. Over stdio that is the one client's roots; over
 * HTTP no session can widen what another allowed, and a session that lists none leaves none.
 * Once the last counted client has left, the roots are empty. Until one is counted, nothing is
 * set. `report` hears what failed (a client that did not answer, an upstream that refused).
 */
export function createDownstreamRoots(
  client: MultiServerClient,
  report: (error: unknown) => void,
  timeoutMs = DOWNSTREAM_ROOTS_TIMEOUT_MS,
): DownstreamRoots {
  /** Each counted member's roots; a member is absent until its first read answers. */
  const known = new Map<object, readonly Root[]>();
  let applied: string | undefined;
  let applying: Promise<void> = Promise.resolve();

  const combined = (): Root[] => {
    const lists = [...known.values()];
    const [first, ...rest] = lists;
    if (!first) return [];
    const inEvery = rest.map((list) => new Set(list.map((root) => root.uri)));
    return first.filter((root) => inEvery.every((uris) => uris.has(root.uri)));
  };

  /** Sets the combined roots when they changed; one setRoots at a time, in order. */
  const apply = () => {
    const roots = combined();
    const key = JSON.stringify(roots.map((root) => [root.uri, root.name ?? null]));
    if (key === applied) return;
    applied = key;
    applying = applying.then(() => client.setRoots(roots)).catch(report);
  };

  return {
    join(server) {
      const member = {};
      let left = false;
      let reads = 0;
      const refresh = async () => {
        if (left || !server.getClientCapabilities()?.roots) return;
        const read = ++reads;
        const { roots } = await server.listRoots(undefined, { timeout: timeoutMs });
        // A later read, or the member's end, wins over this one.
        if (left || read !== reads) return;
        known.set(member, roots);
        apply();
      };
      const run = () => void refresh().catch(report);
      server.setNotificationHandler('notifications/roots/list_changed', run);
      return {
        refresh: run,
        leave() {
          if (left) return;
          left = true;
          if (known.delete(member)) apply();
        },
      };
    },
  };
}
