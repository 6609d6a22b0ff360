import type { Client } from '@modelcontextprotocol/client';

/** What a session does for its pool's remembered interaction state (see pool-interactions.ts). */
export interface SessionInteractions {
  /**
   * `logging/setLevel`, when the server has logging; otherwise nothing. 2026-07-28 has no
   * `logging/setLevel` (SEP-2577 deprecates protocol logging): nothing is sent there.
   */
  setLogLevel(level: string): Promise<void>;
  /** resources/subscribe (2025-11-25) or a subscriptions/listen stream (2026-07-28). */
  subscribeResource(uri: string): Promise<void>;
  /** Ends what subscribeResource started. */
  unsubscribeResource(uri: string): Promise<void>;
  /** `notifications/roots/list_changed` (2025-11-25 only: 2026-07-28 asks for roots per request). */
  notifyRootsChanged(): Promise<void>;
}

type Level = Parameters<Client['setLoggingLevel']>[0];

export function createSessionInteractions(
  client: Client,
  facts: { modern: boolean; timeoutMs: number; hasRoots: boolean },
): SessionInteractions {
  const { modern, timeoutMs } = facts;
  /** 2026-07-28: one listen stream per subscribed resource, closed on unsubscribe. */
  const streams = new Map<string, { close(): Promise<void> }>();
  return {
    setLogLevel: async (level) => {
      if (modern || !client.getServerCapabilities()?.logging) return;
      await client.setLoggingLevel(level as Level, { timeout: timeoutMs });
    },
    subscribeResource: async (uri) => {
      if (!modern) {
        await client.subscribeResource({ uri }, { timeout: timeoutMs });
        return;
      }
      if (streams.has(uri)) return;
      const stream = await client.listen({ resourceSubscriptions: [uri] }, { timeout: timeoutMs });
      streams.set(uri, stream);
    },
    unsubscribeResource: async (uri) => {
      if (!modern) {
        await client.unsubscribeResource({ uri }, { timeout: timeoutMs });
        return;
      }
      const stream = streams.get(uri);
      streams.delete(uri);
      await stream?.close();
    },
    notifyRootsChanged: async () => {
      if (modern || !facts.hasRoots) return;
      await client.sendRootsListChanged();
    },
  };
}
