import { ConfigError, type ConfigIssue, type EndpointDescriptor } from '@mcpmx/core';
import { z } from 'zod';
import type { AuthConfig } from './auth-schema.js';
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
import { gatewayReferenceIssues, gatewaySchema } from './gateway-schema.js';
import { interpolate, interpolateRecord } from './interpolate.js';
import { parseJsonText } from './parse-json.js';
import { type ParseContext, parseTransport } from './parse-transport.js';

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
  const context: ParseContext = { env, issues, baseDir: options.baseDir ?? process.cwd() };

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
  if (document.gateway !== undefined) {
    // Its shape was checked with the document's; what it refers to is checked here.
    const gateway = gatewaySchema.safeParse(document.gateway);
    if (gateway.success) {
      result.gateway = gateway.data;
      const names = isObject(servers) ? Object.keys(servers) : [];
      issues.push(...gatewayReferenceIssues(gateway.data, names));
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
  context: ParseContext,
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
    ...(server.tools !== undefined ? { tools: server.tools } : {}),
    ...(server.prompts !== undefined ? { prompts: server.prompts } : {}),
    ...(server.resources !== undefined ? { resources: server.resources } : {}),
    ...(server.overrides !== undefined ? { overrides: server.overrides } : {}),
    ...(server.auth !== undefined
      ? // Its strings interpolated: a client secret is usually `${NAME}`.
        { auth: deepInterpolate(server.auth, `${path}.auth`, env, issues, 1) as AuthConfig }
      : {}),
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
