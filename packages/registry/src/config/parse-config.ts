import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  acceptsScheme,
  ConfigError,
  type ConfigIssue,
  type EndpointDescriptor,
  kindOfUrl,
  TRANSPORT_KINDS,
  type TransportConfig,
  transportKindOf,
  type URL_TRANSPORT_KINDS,
} from '@mcpmx/core';
import { z } from 'zod';
import { createInputValues, declaredInputs } from './config-inputs.js';
import { checkWithSchema, unknownKeyExpected } from './config-issues.js';
import {
  discoveryBlockSchema,
  documentShape,
  PROTO_KEY,
  type replicaSchema,
  serverSchema,
} from './config-schema.js';
import type {
  DiscoveryBlock,
  ParseConfigOptions,
  ServerSettings,
  ServersConfig,
} from './config-types.js';
import { createEnvAccess, type EnvAccess } from './env-access.js';
import { parseEnvFile } from './env-file.js';
import { interpolate } from './interpolate.js';
import { parseJsonText } from './parse-json.js';

type Json = Record<string, unknown>;
type Env = EnvAccess;
type Entry = z.output<typeof replicaSchema>;

const SERVER_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
/** Nesting deeper than this in settings or discovery blocks is reported, never recursed into. */
export const MAX_CONFIG_DEPTH = 64;
const OWN_KEYS = Object.keys(documentShape);
const LOOSE_DOCUMENT = z.looseObject(documentShape, { error: () => 'a JSON object' });

/**
 * Parses an `mcpServers` config, the shape Claude Desktop, Cursor and LangChain use, plus the
 * mcpmx extensions: `replicas`, `tags`, `weight`, `metadata`, `stateful`, `idempotentTools`,
 * `timeoutMs` per server, and top-level `discovery` and settings blocks. `${NAME}` and
 * `${NAME:-default}` in strings come from `options.env`, limited by `envAllow` and `envDeny`;
 * the values read are in `secrets`.
 *
 * Every problem is collected, and the ConfigError names each one's path, what was expected
 * and what was found.
 */
export function parseServersConfig<
  Settings = Record<string, unknown>,
  Block extends DiscoveryBlock = DiscoveryBlock,
>(
  input: string | unknown,
  options: ParseConfigOptions<Settings, Block> = {},
): ServersConfig<Settings, Block> {
  const raw = typeof input === 'string' ? parseJsonText(input, options.source) : input;
  const issues: ConfigIssue[] = [];
  const env = createEnvAccess(options);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError([{ path: '', expected: 'a JSON object', found: raw }], options.source);
  }
  const document = raw as Json;
  checkWithSchema(documentSchema(options.settings), document, '', issues);
  if (!options.settings) reportNearMisses(document, issues);
  const serversKey = serversKeyOf(document, issues);
  env.predefined = options.predefinedVariables;
  env.inputs = createInputValues(declaredInputs(document, issues), options.inputs ?? {}, env);
  const context: Context = { env, issues, baseDir: options.baseDir ?? process.cwd() };

  const result: ServersConfig<Settings, Block> = {
    endpoints: [],
    servers: {},
    discovery: [],
    settings: {} as Settings,
    secrets: [],
  };
  const servers = serversKey === undefined ? undefined : document[serversKey];
  if (isObject(servers)) {
    for (const [name, entry] of Object.entries(servers)) {
      parseServer(name, entry, `${serversKey}.${name}`, context, result, options);
    }
  }
  if (Array.isArray(document.discovery)) {
    // An index loop: Array.from visits holes too, which forEach would skip.
    for (let index = 0; index < document.discovery.length; index++) {
      const block: unknown = document.discovery[index];
      const path = `discovery[${index}]`;
      if (!checkWithSchema(discoveryBlockSchema, block, path, issues)) continue;
      const interpolated = deepInterpolate(block, path, env, issues, 1);
      const checked = options.discovery
        ? checkWithSchema(options.discovery, interpolated, path, issues, block)
        : (interpolated as Block);
      if (checked !== undefined) result.discovery.push(checked);
    }
  }

  const written: Json = {};
  const interpolated: Json = {};
  for (const [key, value] of Object.entries(document)) {
    if (OWN_KEYS.includes(key)) continue;
    if (key === PROTO_KEY) {
      // With a settings schema, the document schema reports it as an unknown key.
      if (!options.settings) {
        issues.push({ path: key, expected: 'a settings key other than "__proto__"', found: key });
      }
      continue;
    }
    written[key] = value;
    interpolated[key] = deepInterpolate(value, key, env, issues, 1);
  }
  if (options.settings) {
    const settings = checkWithSchema(options.settings, interpolated, '', issues, written);
    if (settings !== undefined) result.settings = settings;
  } else {
    result.settings = interpolated as Settings;
  }
  if (issues.length > 0) throw new ConfigError(issues, options.source);
  result.secrets = [...env.read];
  return result;
}

/** Built once per settings schema. */
const strictDocuments = new WeakMap<z.ZodObject, z.ZodType>();

/** The document's own keys, and with a settings schema, its keys too (and nothing else). */
function documentSchema(settings: z.ZodObject | undefined): z.ZodType {
  if (!settings) return LOOSE_DOCUMENT;
  let schema = strictDocuments.get(settings);
  if (!schema) {
    const settingsKeys = Object.keys(settings.shape).map((key) => [key, z.unknown().optional()]);
    schema = z.strictObject({ ...documentShape, ...Object.fromEntries(settingsKeys) });
    strictDocuments.set(settings, schema);
  }
  return schema;
}

/** What parsing one document needs everywhere. */
interface Context {
  env: Env;
  issues: ConfigIssue[];
  /** Where a relative `envFile` is found. */
  baseDir: string;
}

/** `mcpServers`, or VS Code's `servers`: exactly one of them. */
function serversKeyOf(document: Json, issues: ConfigIssue[]): 'mcpServers' | 'servers' | undefined {
  const hasStandard = document.mcpServers !== undefined;
  const hasVsCode = document.servers !== undefined;
  if (hasStandard && hasVsCode) {
    issues.push({
      path: 'servers',
      expected: 'either "mcpServers" or "servers" (as VS Code names it), not both',
      found: 'both',
    });
    return undefined;
  }
  if (!hasStandard && !hasVsCode) {
    issues.push({
      path: 'mcpServers',
      expected: 'an object of servers (or "servers", as VS Code\'s .vscode/mcp.json names it)',
      found: undefined,
    });
    return undefined;
  }
  return hasVsCode ? 'servers' : 'mcpServers';
}

/** Without a settings schema any other key is a setting, except an evident typo of our own. */
function reportNearMisses(document: Json, issues: ConfigIssue[]): void {
  for (const key of Object.keys(document)) {
    if (OWN_KEYS.includes(key)) continue;
    const expected = unknownKeyExpected(key, OWN_KEYS, true);
    if (expected.includes('did you mean')) issues.push({ path: key, expected, found: key });
  }
}

function parseServer<Settings, Block extends DiscoveryBlock>(
  name: string,
  entry: unknown,
  path: string,
  context: Context,
  result: ServersConfig<Settings, Block>,
  options: ParseConfigOptions<Settings, Block>,
): void {
  const { env, issues } = context;
  if (!SERVER_NAME.test(name) || name === PROTO_KEY) {
    issues.push({
      path,
      expected: 'a server name of 1-64 letters, digits, "_", "-" or "." (not "__proto__")',
      found: name,
    });
    return;
  }
  const server = checkWithSchema(serverSchema, entry, path, issues);
  // A disabled server is checked as written, but neither interpolated nor started.
  if (!server || server.disabled === true) return;
  const settings: ServerSettings = {
    tags: server.tags,
    stateful: server.stateful,
    idempotentTools: server.idempotentTools,
    timeoutMs: server.timeoutMs,
  };
  result.servers[name] = settings;

  let replicas: { entry: Entry; path: string }[];
  if (server.replicas !== undefined) {
    if (server.command !== undefined || server.url !== undefined) {
      issues.push({
        path: `${path}.replicas`,
        expected: 'either "replicas" or a top-level "command"/"url", not both',
        found: 'both',
      });
    }
    replicas = server.replicas.map((replica, index) => ({
      entry: replica,
      path: `${path}.replicas[${index}]`,
    }));
  } else {
    replicas = [{ entry: server, path }];
  }

  replicas.forEach(({ entry: replica, path: replicaPath }, index) => {
    // A disabled replica keeps its place, so the ids of the others do not shift.
    if (replica.disabled === true) return;
    const transport = parseTransport(replica, replicaPath, context);
    if (!transport) return;
    const own = replica === server ? undefined : replica;
    const endpoint: EndpointDescriptor = {
      id: `${name}#${index}`,
      server: name,
      transport,
      tags: [...new Set([...settings.tags, ...(own?.tags ?? [])])],
      weight: replica.weight ?? server.weight ?? 1,
      metadata: {
        ...interpolateRecord(server.metadata, `${path}.metadata`, env, issues),
        ...interpolateRecord(own?.metadata, `${replicaPath}.metadata`, env, issues),
      },
      source: options.sourceId ?? 'config',
    };
    result.endpoints.push(endpoint);
  });
}

function parseTransport(entry: Entry, path: string, context: Context): TransportConfig | undefined {
  const { env, issues } = context;
  const typeKey = entry.type !== undefined ? 'type' : 'transport';
  const declared = entry.type ?? entry.transport;
  const kind = declared === undefined ? undefined : transportKindOf(declared);
  if (entry.command !== undefined && entry.url !== undefined) {
    issues.push({ path, expected: 'either "command" or "url", not both', found: 'both' });
    return undefined;
  }
  if (entry.command !== undefined && kind !== undefined && kind !== 'stdio') {
    issues.push({
      path: `${path}.${typeKey}`,
      expected: '"stdio" (or no type) for a server with "command"',
      found: declared,
    });
    return undefined;
  }
  if (entry.command !== undefined || kind === 'stdio') {
    if (entry.command === undefined) {
      issues.push({ path: `${path}.command`, expected: 'a non-empty string', found: undefined });
      return undefined;
    }
    const command = interpolate(entry.command, `${path}.command`, env, issues);
    if (command.trim() === '') {
      // Reported with the text as written: the interpolated value never appears in messages.
      issues.push({
        path: `${path}.command`,
        expected: 'a non-empty command after interpolation',
        found: entry.command,
      });
      return undefined;
    }
    const { args, cwd } = entry;
    const fileEnv =
      entry.envFile !== undefined ? readEnvFile(entry.envFile, `${path}.envFile`, context) : {};
    const explicitEnv = interpolateRecord(entry.env, `${path}.env`, env, issues);
    return {
      type: 'stdio',
      command,
      ...(args
        ? { args: args.map((arg, i) => interpolate(arg, `${path}.args[${i}]`, env, issues)) }
        : {}),
      // The file's variables first: `env` entries override them.
      ...(entry.env !== undefined || entry.envFile !== undefined
        ? { env: { ...fileEnv, ...explicitEnv } }
        : {}),
      ...(cwd !== undefined ? { cwd: interpolate(cwd, `${path}.cwd`, env, issues) } : {}),
    };
  }
  if (entry.url === undefined) {
    issues.push({
      path,
      expected: 'a "command" (stdio) or a "url" (HTTP, SSE, WebSocket)',
      found: 'neither',
    });
    return undefined;
  }
  if (entry.envFile !== undefined) {
    issues.push({
      path: `${path}.envFile`,
      expected: 'no "envFile" on a URL server (it sets a stdio server\'s environment)',
      found: entry.envFile,
    });
  }
  const before = issues.length;
  const url = interpolate(entry.url, `${path}.url`, env, issues);
  const urlUnresolved = issues.length > before;
  // The headers' own issues are worth reporting even when the URL is wrong.
  const headers =
    entry.headers !== undefined
      ? interpolateRecord(entry.headers, `${path}.headers`, env, issues)
      : undefined;
  // An unresolved reference is the URL's problem, already reported: not also "an absolute URL".
  if (urlUnresolved) return undefined;
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    issues.push({ path: `${path}.url`, expected: 'an absolute URL', found: entry.url });
    return undefined;
  }
  const type =
    (kind as (typeof URL_TRANSPORT_KINDS)[number] | undefined) ??
    kindOfUrl(protocol) ??
    'streamable-http';
  if (!acceptsScheme(type, protocol)) {
    issues.push({ path: `${path}.url`, expected: urlExpected(type), found: entry.url });
    return undefined;
  }
  return { type, url, ...(headers !== undefined ? { headers } : {}) } as TransportConfig;
}

/**
 * A stdio server's `envFile`: dotenv text, relative to the config's directory. Its values are
 * the server's environment (under its `env` entries) and secrets, as values read from the
 * environment are. Messages name the file only when its path was written without `${…}`.
 */
function readEnvFile(written: string, path: string, context: Context): Record<string, string> {
  const { env, issues } = context;
  const relative = interpolate(written, path, env, issues);
  const file = resolve(context.baseDir, relative);
  const where = relative === written ? ` ${file}` : '';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    issues.push({ path, expected: `a readable env file (${code}${where})`, found: written });
    return {};
  }
  const parsed = parseEnvFile(text);
  if ('line' in parsed) {
    issues.push({
      path,
      expected: `${parsed.expected} at line ${parsed.line} of the env file${where}`,
      found: written,
    });
    return {};
  }
  for (const value of Object.values(parsed.values)) if (value !== '') env.read.add(value);
  return parsed.values;
}

/** `a ws:// or wss:// URL`, `an http:// or https:// URL`, from core's table. */
function urlExpected(kind: (typeof URL_TRANSPORT_KINDS)[number]): string {
  const schemes = TRANSPORT_KINDS[kind].schemes.map((scheme) => `${scheme}://`);
  // "http" is read "aitch-tee-tee-pee", so it takes "an".
  const article = /^[aeiouh]/.test(schemes[0] ?? '') ? 'an' : 'a';
  return `${article} ${schemes.join(' or ')} URL`;
}

function interpolateRecord(
  record: Readonly<Record<string, string>> | undefined,
  path: string,
  env: Env,
  issues: ConfigIssue[],
): Record<string, string> {
  const output: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    output[key] = interpolate(value, `${path}.${key}`, env, issues);
  }
  return output;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepInterpolate(
  value: unknown,
  path: string,
  env: Env,
  issues: ConfigIssue[],
  depth: number,
): unknown {
  if (typeof value === 'string') return interpolate(value, path, env, issues);
  if ((Array.isArray(value) || isObject(value)) && depth > MAX_CONFIG_DEPTH) {
    // Also what stops a cycle in a config object passed in directly.
    issues.push({ path, expected: `at most ${MAX_CONFIG_DEPTH} levels of nesting`, found: value });
    return undefined;
  }
  if (Array.isArray(value)) {
    return Array.from(value, (item, i) =>
      deepInterpolate(item, `${path}[${i}]`, env, issues, depth + 1),
    );
  }
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        deepInterpolate(item, `${path}.${key}`, env, issues, depth + 1),
      ]),
    );
  }
  return value;
}
