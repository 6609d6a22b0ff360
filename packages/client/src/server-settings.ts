import type { ConfigDiscovery, ServerSettings } from '@mcpmx/registry';

/**
 * Per-server settings, merged from the config file (as it is now) and the client's options
 * (which win); recomputed only when the config changes.
 */
export function createServerSettings(
  config: () => ConfigDiscovery | undefined,
  overrides: Readonly<Record<string, Partial<ServerSettings>>> | undefined,
) {
  const cache = new Map<string, { config: unknown; settings: ServerSettings }>();
  return (server: string): ServerSettings => {
    const current = config()?.config();
    const cached = cache.get(server);
    if (cached && cached.config === current) return cached.settings;
    const settings: ServerSettings = {
      tags: [],
      stateful: false,
      idempotentTools: [],
      timeoutMs: undefined,
      ...current?.servers[server],
      ...overrides?.[server],
    };
    cache.set(server, { config: current, settings });
    return settings;
  };
}
