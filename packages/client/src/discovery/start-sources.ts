import {
  type Clock,
  ConfigError,
  type Discovery,
  type Disposer,
  type EndpointDescriptor,
  McpmxError,
} from '@mcpmx/core';
import {
  type ConfigDiscovery,
  createConfigDiscovery,
  type InputResolver,
  type Registry,
} from '@mcpmx/registry';
import { clientSettingsSchema } from '../config/file-settings.js';

export interface SourcesOptions {
  config?: string | Record<string, unknown>;
  env?: Readonly<Record<string, string | undefined>>;
  envAllow?: readonly string[];
  envDeny?: readonly string[];
  resolveInput?: InputResolver;
  endpoints?: readonly EndpointDescriptor[];
  discovery?: readonly Discovery[];
  clock: Clock;
  registry: Registry;
  onError(error: Error): void;
  /** The values the config read from `env`, after each parse: a redactor's to hide. */
  onSecrets(secrets: readonly string[]): void;
  onUpdate(update: { source: string; endpoints: number; skipped: number; at: number }): void;
}

/**
 * Where discovery begins: the config file (watched) or object, static endpoints, and any other
 * sources, each attached to the registry, whose events the route table follows. A config that
 * cannot be read rejects `start()` with its ConfigError (every issue, with path, expected and
 * found), not a pointer to the error event.
 */
export function createSources(options: SourcesOptions) {
  let config: ConfigDiscovery | undefined;
  const sources: Discovery[] = [...(options.discovery ?? [])];
  const stops: Disposer[] = [];
  return {
    config: () => config,
    async start(): Promise<void> {
      let configFailure: Error | undefined;
      if (options.config !== undefined) {
        const { env, envAllow, envDeny, resolveInput, clock } = options;
        const parsing = {
          env,
          envAllow,
          envDeny,
          resolveInput,
          clock,
          settings: clientSettingsSchema,
        };
        const watched = createConfigDiscovery(
          typeof options.config === 'string'
            ? { path: options.config, ...parsing }
            : { config: options.config, ...parsing },
        );
        config = watched;
        stops.push(
          // Before any endpoint of the parse reaches the registry, and so before any error.
          watched.on('update', () => options.onSecrets(watched.config()?.secrets ?? [])),
          config.on('error', ({ error }) => {
            configFailure ??= error;
          }),
        );
        sources.unshift(config);
      }
      if (options.endpoints) {
        options.registry.applySet({
          source: 'static',
          endpoints: options.endpoints,
          skipped: [],
          at: options.clock.now(),
        });
      }
      for (const source of sources) {
        stops.push(
          source.on('error', ({ error }) => options.onError(error)),
          source.on('update', (set) =>
            options.onUpdate({
              source: set.source,
              endpoints: set.endpoints.length,
              skipped: set.skipped.length,
              at: options.clock.now(),
            }),
          ),
        );
        await source.start();
        stops.push(options.registry.attach(source));
      }
      if (config && !config.current()) {
        // The discovery source wraps what went wrong; the caller gets the ConfigError itself.
        const cause = (configFailure as { cause?: unknown } | undefined)?.cause;
        if (ConfigError.isInstance(cause)) throw cause;
        if (McpmxError.isInstance(configFailure)) throw configFailure;
        throw new ConfigError(
          [{ path: '', expected: 'a readable mcpServers config', found: configFailure?.message }],
          typeof options.config === 'string' ? options.config : 'inline config',
        );
      }
    },
    async stop(): Promise<void> {
      for (const stop of stops.splice(0)) stop();
      await Promise.allSettled(sources.map((source) => source.stop()));
    },
  };
}
