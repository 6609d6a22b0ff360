import { homedir } from 'node:os';
import { basename, dirname } from 'node:path';
import { askForInputs, type InputResolver } from './config-inputs.js';
import type { DiscoveryBlock, ParseConfigOptions, ServersConfig } from './config-types.js';
import { createEnvAccess } from './env-access.js';
import { MAX_CONFIG_DEPTH, parseServersConfig } from './parse-config.js';
import { parseJsonText } from './parse-json.js';

export interface LoadConfigOptions<
  Settings = Record<string, unknown>,
  Block extends DiscoveryBlock = DiscoveryBlock,
> extends ParseConfigOptions<Settings, Block> {
  /**
   * Asks for the value of each input the config declares and uses (`${input:ID}`) that has
   * none in `inputs` or in `MCPMX_INPUT_<ID>`: a terminal prompt, for example. This package
   * never asks on its own. Default: none (such an input takes its `default`, else is an issue).
   */
  resolveInput?: InputResolver;
}

/**
 * `${workspaceFolder}`: the folder holding `.vscode/` for a config in it, else the config's
 * own directory; `${userHome}`: the home directory. None without a `baseDir`.
 */
function predefinedOf(options: ParseConfigOptions<unknown, DiscoveryBlock>) {
  if (options.baseDir === undefined) return undefined;
  const workspaceFolder =
    basename(options.baseDir) === '.vscode' ? dirname(options.baseDir) : options.baseDir;
  return { workspaceFolder, userHome: homedir() };
}

/**
 * parseServersConfig, after asking `resolveInput` for the inputs that need it, with VS Code's
 * `${workspaceFolder}` and `${userHome}` from `baseDir` unless `predefinedVariables` are given.
 * Everything else, issues included, is parseServersConfig's.
 */
export async function loadServersConfig<
  Settings = Record<string, unknown>,
  Block extends DiscoveryBlock = DiscoveryBlock,
>(
  input: string | unknown,
  options: LoadConfigOptions<Settings, Block> = {},
): Promise<ServersConfig<Settings, Block>> {
  const document = typeof input === 'string' ? parseJsonText(input, options.source) : input;
  const { resolveInput, ...rest } = options;
  const parsing = { ...rest, predefinedVariables: rest.predefinedVariables ?? predefinedOf(rest) };
  if (!resolveInput || typeof document !== 'object' || document === null) {
    return parseServersConfig(document, parsing);
  }
  const given = options.inputs ?? {};
  const access = createEnvAccess(options);
  const answers = await askForInputs(
    document as Record<string, unknown>,
    given,
    access,
    resolveInput,
    MAX_CONFIG_DEPTH,
  );
  return parseServersConfig(document, { ...parsing, inputs: { ...given, ...answers } });
}
