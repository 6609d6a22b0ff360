import { readFile } from 'node:fs/promises';
import {
  clientOptionsFromSettings,
  clientSettingsSchema,
  createMultiServerClient,
  type MultiServerClient,
  type MultiServerClientOptions,
} from '@mcpmx/client';
import type { Discovery } from '@mcpmx/core';
import { parseServersConfig } from '@mcpmx/registry';
import { discoveryBlockSchema, discoverySourcesFromBlocks } from './discovery-sources.js';

/** What the app takes from a config file besides its servers. */
export interface AppConfig {
  options: Partial<MultiServerClientOptions>;
  discovery: Discovery[];
}

/**
 * Checks a config file's text as one: its servers, its settings (`naming`, `balancer`,
 * `breaker`, `retry`, `cache`, `timeoutMs`, `refreshDebounceMs`) and its `discovery` blocks.
 * Every problem is in one ConfigError naming `source` and each problem's path.
 */
export function readAppConfig(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  source: string,
): AppConfig {
  const parsed = parseServersConfig(text, {
    env,
    source,
    settings: clientSettingsSchema,
    discovery: discoveryBlockSchema,
  });
  return {
    options: clientOptionsFromSettings(parsed.settings),
    discovery: discoverySourcesFromBlocks(parsed.discovery),
  };
}

/**
 * A client for a config file: its servers (watched for edits), its `discovery` blocks as
 * discovery sources, and its settings as options. `${NAME}` comes from `env`. An unreadable or
 * invalid file is an error that names the file and, for each problem, its path.
 */
export async function createClientFromConfig(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  extra: Partial<MultiServerClientOptions> = {},
): Promise<MultiServerClient> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the config file ${path} (${error.code ?? error.message})`);
  });
  const { options, discovery } = readAppConfig(text, env, path);
  return createMultiServerClient({ ...options, ...extra, config: path, env, discovery });
}
