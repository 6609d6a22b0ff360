import { readFile } from 'node:fs/promises';
import {
  createMultiServerClient,
  type MultiServerClient,
  type MultiServerClientOptions,
} from '@mcpmx/client';
import { ConfigError, type ConfigIssue } from '@mcpmx/core';
import { parseServersConfig } from '@mcpmx/registry';
import { clientOptionsFromSettings } from './client-settings.js';
import { discoverySourcesFromBlocks } from './discovery-sources.js';

/**
 * A client for a config file: its servers (watched for edits), its `discovery` blocks as
 * discovery sources, and its settings (`naming`, `balancer`, `breaker`, `retry`, `cache`,
 * `timeoutMs`) as options. `${NAME}` comes from `env`. An unreadable or invalid file is an
 * error that names the file and, for each problem, its path.
 */
export async function createClientFromConfig(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  extra: Partial<MultiServerClientOptions> = {},
): Promise<MultiServerClient> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the config file ${path} (${error.code ?? error.message})`);
  });
  const parsed = parseServersConfig(text, { env, source: path });
  const issues: ConfigIssue[] = [];
  const options = clientOptionsFromSettings(parsed.settings, issues);
  const discovery = discoverySourcesFromBlocks(parsed.discovery, issues);
  if (issues.length > 0) throw new ConfigError(issues, path);
  return createMultiServerClient({ ...options, ...extra, config: path, env, discovery });
}
