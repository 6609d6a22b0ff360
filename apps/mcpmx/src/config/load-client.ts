import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  clientOptionsFromSettings,
  clientSettingsSchema,
  createMultiServerClient,
  type MultiServerClient,
  type MultiServerClientOptions,
} from '@mcpmx/client';
import type { Discovery } from '@mcpmx/core';
import {
  type ConfigInput,
  type GatewayConfig,
  type InputResolver,
  loadServersConfig,
  type ServersConfig,
} from '@mcpmx/registry';
import { createTerminalInputResolver } from '../input-prompt.js';
import { loadDiscoveryBlocks } from './discovery-sources.js';

import { TOKEN_VARIABLE } from './token-variable.js';

/**
 * What `${NAME}` in a config may read: `env`, limited to `envAllow` (names, or patterns such as
 * `API_*`) when given; never TOKEN_VARIABLE.
 */
export interface ConfigEnv {
  env: Readonly<Record<string, string | undefined>>;
  envAllow?: readonly string[];
  /**
   * Asks for `${input:ID}` values that `MCPMX_INPUT_<ID>` does not give. Default for
   * createClientFromConfig: on the terminal when stdin is a TTY (see input-prompt.ts).
   */
  resolveInput?: InputResolver;
}

/** The options of every parse of a config: the same environment access for each. */
const envAccess = (access: ConfigEnv) => ({
  env: access.env,
  envAllow: access.envAllow,
  envDeny: [TOKEN_VARIABLE],
  resolveInput: access.resolveInput,
});

/** What the app takes from a config file besides its servers. */
export interface AppConfig {
  options: Partial<MultiServerClientOptions>;
  discovery: Discovery[];
  /** The `gateway` section (auth, policy, tool mode), for `mcpmx serve`. */
  gateway: GatewayConfig | undefined;
}

/**
 * Checks a config file's text as one: its servers, its settings (`naming`, `balancer`,
 * `breaker`, `retry`, `cache`, `timeoutMs`, `refreshDebounceMs`) and its `discovery` blocks.
 * Every problem is in one ConfigError naming `source` (the file's path: a relative `envFile`
 * is next to it) and each problem's path.
 */
export async function readAppConfig(
  text: string,
  access: ConfigEnv,
  source: string,
): Promise<AppConfig> {
  const blocks = mayHaveDiscovery(text) ? await loadDiscoveryBlocks() : undefined;
  const parsed = await loadServersConfig(text, {
    ...envAccess(access),
    source,
    baseDir: dirname(resolve(source)),
    settings: clientSettingsSchema,
    ...(blocks ? { discovery: blocks.schema } : {}),
  });
  return {
    options: clientOptionsFromSettings(parsed.settings),
    discovery: blocks ? blocks.create(parsed.discovery) : [],
    gateway: parsed.gateway,
  };
}

/**
 * Whether the discovery packages are needed to check `text`: unless it is JSON whose top level
 * has no `discovery` key (then there are no blocks to check). Text that does not parse gets
 * them, and its error is the parser's.
 */
function mayHaveDiscovery(text: string): boolean {
  try {
    const document: unknown = JSON.parse(text);
    return typeof document !== 'object' || document === null || 'discovery' in document;
  } catch {
    return true;
  }
}

/**
 * A config file's servers (endpoints and per-server settings) alone, as `login` and `logout`
 * read them: no client, no discovery. Errors name the file, and each problem its path.
 */
export async function readConfigServers(path: string, access: ConfigEnv): Promise<ServersConfig> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the config file ${path} (${error.code ?? error.message})`);
  });
  return await loadServersConfig(text, {
    ...envAccess({ ...access, resolveInput: access.resolveInput ?? createTerminalInputResolver() }),
    source: path,
    baseDir: dirname(resolve(path)),
  });
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
  return (await loadGatewayConfig(path, access, extra)).client;
}

/** createClientFromConfig, and the config's `gateway` section (what `mcpmx serve` reads). */
export async function loadGatewayConfig(
  path: string,
  access: ConfigEnv,
  extra: Partial<MultiServerClientOptions> = {},
): Promise<{ client: MultiServerClient; gateway: GatewayConfig | undefined }> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the config file ${path} (${error.code ?? error.message})`);
  });
  // Inputs are asked for here, at start-up, only: the client's reads (the first one, and the
  // re-reads after edits) get these answers and ask nothing, since stdin may by then carry
  // MCP (`serve` over stdio). An input added by an edit comes from MCPMX_INPUT_<ID>.
  const ask = access.resolveInput ?? createTerminalInputResolver();
  const answers = new Map<string, string | undefined>();
  const { options, discovery, gateway } = await readAppConfig(
    text,
    {
      ...access,
      resolveInput: async (input) => {
        const answer = await ask(input);
        answers.set(input.id, answer);
        return answer;
      },
    },
    path,
  );
  const answered = { ...access, resolveInput: (input: ConfigInput) => answers.get(input.id) };
  const client = createMultiServerClient({
    ...options,
    ...extra,
    config: path,
    ...envAccess(answered),
    discovery,
  });
  return { client, gateway };
}
