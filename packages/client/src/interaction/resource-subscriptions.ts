import { InteractionError, McpmxError, RemoteError, type SessionPool } from '@mcpmx/core';

export type ResourceListener = (update: { uri: string; server: string }) => void;

interface Entry {
  server: string;
  uri: string;
  listeners: Set<ResourceListener>;
}

/** An error from a pool's subscription call, as the client shows it (an McpmxError). */
export function remoteFailure(what: string, server: string, error: unknown): McpmxError {
  if (McpmxError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return new RemoteError(`${what} on "${server}" failed: ${message}`, {
    server,
    cause: error,
    rpcCode: typeof code === 'number' ? code : undefined,
  });
}

/**
 * The client's resource subscriptions: one per server and URI, whatever the number of
 * listeners. Each is held on every replica of its server (each pool renews it on its new
 * sessions), and a replica added later subscribes too, so a subscription survives replica
 * changes and reconnects. A listener may hear the same change once per replica that saw it.
 */
export function createResourceSubscriptions(poolsOf: (server: string) => SessionPool[]) {
  const entries = new Map<string, Entry>();
  const keyOf = (server: string, uri: string) => `${server}\n${uri}`;

  const subscribeOn = async (entry: Entry) => {
    const pools = poolsOf(entry.server).filter((pool) => pool.subscribeResource);
    if (pools.length === 0) {
      throw new InteractionError(
        `cannot subscribe to ${entry.uri} on "${entry.server}": its pools do not support subscriptions (a custom createPool?)`,
        { server: entry.server, method: 'resources/subscribe' },
      );
    }
    const results = await Promise.allSettled(
      pools.map((pool) => pool.subscribeResource?.(entry.uri)),
    );
    if (results.some((result) => result.status === 'fulfilled')) return;
    const first = results.find((result) => result.status === 'rejected');
    throw remoteFailure(`resources/subscribe ${entry.uri}`, entry.server, first?.reason);
  };

  return {
    async subscribe(server: string, uri: string, listener: ResourceListener) {
      const key = keyOf(server, uri);
      let entry = entries.get(key);
      const fresh = entry === undefined;
      if (entry === undefined) {
        entry = { server, uri, listeners: new Set() };
        entries.set(key, entry);
      }
      const held = entry;
      // A function per subscription, so the same listener subscribed twice unsubscribes once each.
      const own: ResourceListener = (update) => listener(update);
      held.listeners.add(own);
      if (fresh) {
        try {
          await subscribeOn(held);
        } catch (error) {
          entries.delete(key);
          throw error;
        }
      }
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        held.listeners.delete(own);
        if (held.listeners.size > 0 || entries.get(key) !== held) return;
        entries.delete(key);
        await Promise.allSettled(poolsOf(server).map((pool) => pool.unsubscribeResource?.(uri)));
      };
    },
    /** A replica's pool was made: it subscribes to what its server's subscriptions hold. */
    poolAdded(server: string, pool: SessionPool): void {
      for (const entry of entries.values()) {
        if (entry.server === server)
          void pool.subscribeResource?.(entry.uri).catch(() => undefined);
      }
    },
    /** `notifications/resources/updated` from one of the server's replicas. */
    deliver(server: string, uri: string): void {
      const entry = entries.get(keyOf(server, uri));
      if (!entry) return;
      for (const listener of [...entry.listeners]) {
        try {
          listener({ uri, server });
        } catch {
          // A listener's throw is its own; the others still hear the update.
        }
      }
    },
    close(): void {
      entries.clear();
    },
  };
}
