import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import {
  type Clock,
  createEmitter,
  createOneShotTimer,
  type DiscoveredSet,
  type Discovery,
  DiscoveryError,
  type DiscoveryEvents,
  InvalidOptionError,
  systemClock,
} from '@mcpmx/core';
import type { InputResolver } from './config-inputs.js';
import type { ParseConfigOptions, ServersConfig } from './config-types.js';
import { createEnvAccess } from './env-access.js';
import { loadServersConfig } from './load-config.js';

export interface ConfigDiscoveryOptions {
  /** A config file; re-read when it changes. */
  path?: string;
  /** Or an inline config (object or JSON text); never changes. */
  config?: unknown;
  env?: Readonly<Record<string, string | undefined>>;
  /** The only variables `${NAME}` may read (names, or patterns such as `API_*`). Default: any. */
  envAllow?: readonly string[];
  /** Variables never read, allowlist or not. Default: none. */
  envDeny?: readonly string[];
  /**
   * The schema of the top-level settings besides `mcpServers` and `discovery` (see
   * `ParseConfigOptions.settings`): with it an unknown top-level key is an issue, with a
   * did-you-mean, on every read.
   */
  settings?: ParseConfigOptions['settings'];
  /**
   * Asks for the inputs (`${input:ID}`) that have no value in `MCPMX_INPUT_<ID>`, on each read
   * (see `loadServersConfig`). Default: none.
   */
  resolveInput?: InputResolver;
  /** Discovery id and the `source` of every endpoint. Default "config". */
  id?: string;
  /** Wait after the last change event before re-reading. Default 100 ms. */
  debounceMs?: number;
  clock?: Clock;
}

export interface ConfigDiscovery extends Discovery {
  /** The last good parse, with per-server settings and discovery blocks. */
  config(): ServersConfig | undefined;
}

/**
 * Discovery from an `mcpServers` config. With a path it watches the file and yields a new set
 * after each edit; an edit that does not parse emits 'error' and keeps the last good set.
 */
export function createConfigDiscovery(options: ConfigDiscoveryOptions): ConfigDiscovery {
  if ((options.path === undefined) === (options.config === undefined)) {
    throw new InvalidOptionError(
      'createConfigDiscovery options',
      'exactly one of "path" or "config"',
      options.path ?? options.config,
    );
  }
  // Checks envAllow and envDeny now, not at the first read.
  createEnvAccess(options);
  const id = options.id ?? 'config';
  const clock = options.clock ?? systemClock;
  const events = createEmitter<DiscoveryEvents>();
  let current: DiscoveredSet | undefined;
  let parsed: ServersConfig | undefined;
  let watcher: FSWatcher | undefined;
  const reloadTimer = createOneShotTimer(clock);
  let stopped = false;

  const load = async () => {
    try {
      const text =
        options.path !== undefined ? await readFile(options.path, 'utf8') : options.config;
      if (stopped) return;
      const next = await loadServersConfig(text, {
        env: options.env,
        envAllow: options.envAllow,
        envDeny: options.envDeny,
        source: options.path ?? 'inline config',
        sourceId: id,
        settings: options.settings,
        resolveInput: options.resolveInput,
        // A relative envFile is next to the config file.
        ...(options.path !== undefined ? { baseDir: dirname(resolve(options.path)) } : {}),
      });
      if (stopped) return;
      parsed = next;
      current = { source: id, endpoints: parsed.endpoints, skipped: [], at: clock.now() };
      events.emit('update', current);
    } catch (error) {
      if (stopped) return;
      const cause = error instanceof Error ? error : new Error(String(error));
      events.emit('error', { source: id, error: new DiscoveryError(id, cause.message, { cause }) });
    }
  };

  return {
    id,
    config: () => parsed,
    current: () => current,
    on: events.on,
    start: async () => {
      stopped = false;
      await load();
      if (options.path !== undefined && !watcher) {
        // Watch the directory, not the file: editors replace files by rename, and a file
        // that does not exist yet may be created later.
        const file = basename(options.path);
        try {
          watcher = watch(dirname(options.path), (_event, changed) => {
            if (changed !== null && changed !== file) return;
            reloadTimer.schedule(options.debounceMs ?? 100, () => void load());
          });
          watcher.on('error', (error) => events.emit('error', { source: id, error }));
        } catch (error) {
          const cause = error instanceof Error ? error : new Error(String(error));
          events.emit('error', {
            source: id,
            error: new DiscoveryError(id, `cannot watch ${options.path}: ${cause.message}`, {
              cause,
            }),
          });
        }
      }
    },
    stop: async () => {
      stopped = true;
      watcher?.close();
      watcher = undefined;
      reloadTimer.cancel();
    },
  };
}
