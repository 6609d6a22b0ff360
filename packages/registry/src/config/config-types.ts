import type { EndpointDescriptor } from '@mcpmx/core';
import type { z } from 'zod';
import type { discoveryBlockSchema, serverSettingsSchema } from './config-schema.js';
import type { GatewayConfig } from './gateway-schema.js';

/** Per-server settings from the mcpmx extensions of an `mcpServers` entry. */
export type ServerSettings = z.output<typeof serverSettingsSchema>;

/** A discovery block, kept as data: the app picks the package that implements `type`. */
export type DiscoveryBlock = z.output<typeof discoveryBlockSchema>;

/** What a config file describes. */
export interface ServersConfig<
  Settings = Record<string, unknown>,
  Block extends DiscoveryBlock = DiscoveryBlock,
> {
  endpoints: EndpointDescriptor[];
  servers: Record<string, ServerSettings>;
  discovery: Block[];
  /** The `gateway` section (auth, tool policy, tool mode), as written; read by the gateway. */
  gateway?: GatewayConfig;
  /** The other top-level keys (naming, balancer, retry, ...), interpolated. */
  settings: Settings;
  /**
   * Every non-empty value `${NAME}` read from the environment (not defaults, not literal
   * text): what a redactor (core's `createRedactor`) must keep out of status pages and logs.
   */
  secrets: string[];
}

export interface ParseConfigOptions<
  Settings = Record<string, unknown>,
  Block extends DiscoveryBlock = DiscoveryBlock,
> {
  /** Values for `${NAME}` references. Default: none (so nothing leaks in by accident). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The only variables `${NAME}` may read: names, or patterns with `*` (`API_*`). A reference
   * to any other is a config issue naming it. Default: any variable in `env`.
   */
  envAllow?: readonly string[];
  /** Variables never read, allowlist or not (a gateway's own token). Default: none. */
  envDeny?: readonly string[];
  /**
   * Values of `${input:ID}` by input id, for inputs declared under `inputs`. An input without
   * one here is read from `MCPMX_INPUT_<ID>` in `env`, else takes its `default`.
   */
  inputs?: Readonly<Record<string, string>>;
  /**
   * VS Code's predefined variables, by name: `${workspaceFolder}` and `${userHome}` read these
   * before `env` (`${env:NAME}` reads only `env`). Default: none; loadServersConfig and
   * createConfigDiscovery fill them in from `baseDir`.
   */
  predefinedVariables?: Readonly<Record<string, string>>;
  /** Where a relative `envFile` is read from: the config file's directory. Default: the cwd. */
  baseDir?: string;
  /** Named in errors: a file path, "inline config". */
  source?: string;
  /** Stamped on every endpoint as its owner. Default "config". */
  sourceId?: string;
  /**
   * The schema of the top-level keys besides `mcpServers` and `discovery` (an app's own
   * settings). With it every top-level key is checked: an unknown one is an issue with a
   * did-you-mean, and `settings` is the schema's output. Without it the other keys are returned
   * as they are (interpolated), and only near-misses of `mcpServers` and `discovery` are issues.
   */
  settings?: z.ZodObject & z.ZodType<Settings>;
  /**
   * The schema of one discovery block (for example a union over `type` of each package's
   * options), checked after interpolation. Default: any object with a string `type`.
   */
  discovery?: z.ZodType<Block>;
}
