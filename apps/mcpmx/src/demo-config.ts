import type { EndpointDescriptor } from '@mcpmx/core';
import { ConfigError } from '@mcpmx/core';

/**
 * Reads the demo's `mcpServers` file: stdio entries only, `${VAR}` from `env`.
 * Stop-gap until @mcpmx/registry's config parser lands; the demo config uses nothing more.
 */
export function readDemoConfig(
  text: string,
  env: Record<string, string | undefined>,
  source: string,
): EndpointDescriptor[] {
  const config = JSON.parse(text) as {
    mcpServers?: Record<
      string,
      { command?: unknown; args?: unknown; env?: Record<string, string> }
    >;
  };
  const servers = config.mcpServers;
  if (!servers || typeof servers !== 'object') {
    throw new ConfigError(
      [{ path: 'mcpServers', expected: 'an object', found: String(servers) }],
      source,
    );
  }
  const expand = (value: string, path: string) =>
    value.replace(/\$\{([A-Z0-9_]+)\}/gi, (_, name: string) => {
      const found = env[name];
      if (found === undefined)
        throw new ConfigError(
          [{ path, expected: `environment variable ${name}`, found: 'unset' }],
          source,
        );
      return found;
    });
  return Object.entries(servers).map(([name, entry]) => {
    if (typeof entry.command !== 'string') {
      throw new ConfigError(
        [
          {
            path: `mcpServers.${name}.command`,
            expected: 'a string',
            found: String(entry.command),
          },
        ],
        source,
      );
    }
    return {
      id: `${name}#0`,
      server: name,
      source: 'config',
      transport: {
        type: 'stdio',
        command: entry.command,
        args: Array.isArray(entry.args) ? entry.args.map(String) : [],
        env: Object.fromEntries(
          Object.entries(entry.env ?? {}).map(([key, value]) => [
            key,
            expand(value, `mcpServers.${name}.env.${key}`),
          ]),
        ),
      },
    } satisfies EndpointDescriptor;
  });
}
