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

/**
 * Whether any server's filters or tool overrides differ from the last time this was asked:
 * what makes the catalog apply its servers' policies again after a config reload.
 */
export function watchPolicies(
  servers: () => readonly string[],
  settingsOf: (server: string) => ServerSettings,
) {
  let last = '';
  return {
    changed(): boolean {
      const now = JSON.stringify(
        servers().map((server) => {
          const { tools, prompts, resources, overrides } = settingsOf(server);
          return [server, tools, prompts, resources, overrides];
        }),
      );
      if (now === last) return false;
      last = now;
      return true;
    },
  };
}
