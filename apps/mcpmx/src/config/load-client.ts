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

/** The gateway's own bearer token: never interpolated into a config, allowlist or not. */
export const TOKEN_VARIABLE = 'MCPMX_TOKEN';

/**
 * What `${NAME}` in a config may read: `env`, limited to `envAllow` (names, or patterns such as
 * `API_*`) when given; never TOKEN_VARIABLE.
 */
export interface ConfigEnv {
  env: Readonly<Record<string, string | undefined>>;
  envAllow?: readonly string[];
}

/** The options of every parse of a config: the same environment access for each. */
const envAccess = (access: ConfigEnv) => ({
  env: access.env,
  envAllow: access.envAllow,
  envDeny: [TOKEN_VARIABLE],
});

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
export function readAppConfig(text: string, access: ConfigEnv, source: string): AppConfig {
  const parsed = parseServersConfig(text, {
    ...envAccess(access),
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
 * discovery sources, and its settings as options. `${NAME}` comes from `access`. An unreadable
 * or invalid file is an error that names the file and, for each problem, its path.
 */
export async function createClientFromConfig(
  path: string,
  access: ConfigEnv,
  extra: Partial<MultiServerClientOptions> = {},
): Promise<MultiServerClient> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the config file ${path} (${error.code ?? error.message})`);
  });
  const { options, discovery } = readAppConfig(text, access, path);
  return createMultiServerClient({
    ...options,
    ...extra,
    config: path,
    ...envAccess(access),
    discovery,
  });
}
