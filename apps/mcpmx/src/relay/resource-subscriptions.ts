import type { MultiServerClient } from '@mcpmx/client';

/** One downstream session's resource subscriptions, passed through to the client. */
export interface ResourceSubscriptions {
  /** `resources/subscribe`: resolves once the upstream that owns the URI accepted. */
  subscribe(uri: string): Promise<void>;
  /** `resources/unsubscribe`; unknown URIs are ignored. */
  unsubscribe(uri: string): Promise<void>;
  /** The session ended: every subscription of it is dropped upstream. Idempotent. */
  close(): Promise<void>;
}

/**
 * `notify(uri)` tells this session only (the one that subscribed) of an update. Subscribing
 * twice to one URI keeps one upstream subscription.
 */
export function createResourceSubscriptions(
  client: MultiServerClient,
  notify: (uri: string) => void,
): ResourceSubscriptions {
  const held = new Map<string, Promise<() => Promise<void>>>();
  let closed = false;
  const drop = async (uri: string) => {
    const pending = held.get(uri);
    if (!pending) return;
    held.delete(uri);
    const unsubscribe = await pending.catch(() => undefined);
    await unsubscribe?.();
  };
  return {
    async subscribe(uri) {
      if (closed) return;
      let pending = held.get(uri);
      if (!pending) {
        pending = client.subscribeResource(uri, (update) => {
          if (held.get(uri) === pending) notify(update.uri);
        });
        held.set(uri, pending);
        // A refused subscription is not held: a retry asks again.
        pending.catch(() => {
          if (held.get(uri) === pending) held.delete(uri);
        });
      }
      await pending;
    },
    unsubscribe: drop,
    async close() {
      closed = true;
      await Promise.all([...held.keys()].map((uri) => drop(uri).catch(() => undefined)));
    },
  };
}
