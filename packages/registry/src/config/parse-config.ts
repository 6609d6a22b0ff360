import {
  ConfigError,
  type ConfigIssue,
  type EndpointDescriptor,
  type TransportConfig,
} from '@mcpmx/core';
import type {
  DiscoveryBlock,
  ParseConfigOptions,
  ServerSettings,
  ServersConfig,
} from './config-types.js';
import { interpolate } from './interpolate.js';
import { parseJsonText } from './parse-json.js';

type Json = Record<string, unknown>;

const SERVER_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
/** Assigning to this key would replace an object's prototype instead of adding an entry. */
const PROTO_KEY = '__proto__';
/** Nesting deeper than this in settings or discovery blocks is reported, never recursed into. */
export const MAX_CONFIG_DEPTH = 64;
const TRANSPORT_ALIASES: Record<string, TransportConfig['type']> = {
  stdio: 'stdio',
  http: 'streamable-http',
  'streamable-http': 'streamable-http',
  streamableHttp: 'streamable-http',
  sse: 'sse',
  websocket: 'websocket',
  ws: 'websocket',
};
/** Keys of a server or replica entry; anything else is reported, so typos do not pass. */
const ENTRY_KEYS = new Set([
  'command',
  'args',
  'env',
  'cwd',
  'url',
  'headers',
  'type',
  'transport',
  'tags',
  'weight',
  'metadata',
  'disabled',
]);
const SERVER_KEYS = new Set([
  ...ENTRY_KEYS,
  'replicas',
  'stateful',
  'idempotentTools',
  'timeoutMs',
  'description',
]);

/**
 * Parses an `mcpServers` config, the shape Claude Desktop, Cursor and LangChain use, plus the
 * mcpmx extensions: `replicas`, `tags`, `weight`, `metadata`, `stateful`, `idempotentTools`,
 * `timeoutMs` per server, and top-level `discovery` and settings blocks. `${NAME}` and
 * `${NAME:-default}` in strings come from `options.env`.
 *
 * Every problem is collected, and the ConfigError names each one's path, what was expected
 * and what was found.
 */
export function parseServersConfig(
  input: string | unknown,
  options: ParseConfigOptions = {},
): ServersConfig {
  const raw = typeof input === 'string' ? parseJsonText(input, options.source) : input;
  const issues: ConfigIssue[] = [];
  const env = options.env ?? {};
  const result: ServersConfig = { endpoints: [], servers: {}, discovery: [], settings: {} };
  if (!isObject(raw)) {
    throw new ConfigError([{ path: '', expected: 'a JSON object', found: raw }], options.source);
  }
  const servers = raw.mcpServers;
  if (!isObject(servers)) {
    issues.push({ path: 'mcpServers', expected: 'an object of servers', found: servers });
  } else {
    for (const [name, entry] of Object.entries(servers)) {
      parseServer(name, entry, `mcpServers.${name}`, env, issues, result, options);
    }
  }
  if (raw.discovery !== undefined) {
    if (!Array.isArray(raw.discovery)) {
      issues.push({
        path: 'discovery',
        expected: 'an array of discovery blocks',
        found: raw.discovery,
      });
    } else {
      raw.discovery.forEach((block, index) => {
        const path = `discovery[${index}]`;
        if (!isObject(block) || typeof block.type !== 'string') {
          issues.push({
            path: `${path}.type`,
            expected: 'a string such as "dns"',
            found: isObject(block) ? block.type : block,
          });
          return;
        }
        result.discovery.push(deepInterpolate(block, path, env, issues, 1) as DiscoveryBlock);
      });
    }
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'mcpServers' || key === 'discovery') continue;
    if (key === PROTO_KEY) {
      issues.push({ path: key, expected: 'a settings key other than "__proto__"', found: key });
      continue;
    }
    result.settings[key] = deepInterpolate(value, key, env, issues, 1);
  }
  if (issues.length > 0) throw new ConfigError(issues, options.source);
  return result;
}

function parseServer(
  name: string,
  entry: unknown,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  result: ServersConfig,
  options: ParseConfigOptions,
): void {
  if (!SERVER_NAME.test(name) || name === PROTO_KEY) {
    issues.push({
      path,
      expected: 'a server name of 1-64 letters, digits, "_", "-" or "." (not "__proto__")',
      found: name,
    });
    return;
  }
  if (!isObject(entry)) {
    issues.push({ path, expected: 'an object with "command" or "url"', found: entry });
    return;
  }
  unknownKeys(entry, SERVER_KEYS, path, issues);
  // A string "true" must not leave a server silently enabled.
  if (optionalBoolean(entry.disabled, `${path}.disabled`, issues) === true) return;
  const settings: ServerSettings = {
    tags: stringArray(entry.tags, `${path}.tags`, issues) ?? [],
    stateful: optionalBoolean(entry.stateful, `${path}.stateful`, issues) ?? false,
    idempotentTools: stringArray(entry.idempotentTools, `${path}.idempotentTools`, issues) ?? [],
    timeoutMs: positiveNumber(entry.timeoutMs, `${path}.timeoutMs`, issues),
  };
  result.servers[name] = settings;

  let replicas: { entry: Json; path: string; disabled?: boolean }[];
  if (entry.replicas !== undefined) {
    if (!Array.isArray(entry.replicas) || entry.replicas.length === 0) {
      issues.push({
        path: `${path}.replicas`,
        expected: 'a non-empty array of replicas',
        found: entry.replicas,
      });
      return;
    }
    if (entry.command !== undefined || entry.url !== undefined) {
      issues.push({
        path: `${path}.replicas`,
        expected: 'either "replicas" or a top-level "command"/"url", not both',
        found: 'both',
      });
    }
    replicas = [];
    entry.replicas.forEach((replica, index) => {
      const replicaPath = `${path}.replicas[${index}]`;
      if (!isObject(replica)) {
        issues.push({
          path: replicaPath,
          expected: 'an object with "command" or "url"',
          found: replica,
        });
        return;
      }
      unknownKeys(replica, ENTRY_KEYS, replicaPath, issues);
      const disabled = optionalBoolean(replica.disabled, `${replicaPath}.disabled`, issues);
      // A disabled replica keeps its place, so the ids of the others do not shift.
      replicas.push({ entry: replica, path: replicaPath, disabled: disabled === true });
    });
  } else {
    replicas = [{ entry, path }];
  }

  replicas.forEach(({ entry: replica, path: replicaPath, disabled }, index) => {
    if (disabled) return;
    const transport = parseTransport(replica, replicaPath, env, issues);
    if (!transport) return;
    const tags = stringArray(replica.tags, `${replicaPath}.tags`, issues);
    const metadata = stringRecord(entry.metadata, `${path}.metadata`, env, issues);
    const own =
      replica === entry
        ? undefined
        : stringRecord(replica.metadata, `${replicaPath}.metadata`, env, issues);
    const endpoint: EndpointDescriptor = {
      id: `${name}#${index}`,
      server: name,
      transport,
      tags: [...new Set([...settings.tags, ...(replica === entry ? [] : (tags ?? []))])],
      weight:
        positiveNumber(
          replica.weight !== undefined ? replica.weight : entry.weight,
          `${replicaPath}.weight`,
          issues,
        ) ?? 1,
      metadata: { ...metadata, ...own },
      source: options.sourceId ?? 'config',
    };
    result.endpoints.push(endpoint);
  });
}

function parseTransport(
  entry: Json,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
): TransportConfig | undefined {
  const declared = entry.type ?? entry.transport;
  let kind: TransportConfig['type'] | undefined;
  if (declared !== undefined) {
    kind =
      typeof declared === 'string' && Object.hasOwn(TRANSPORT_ALIASES, declared)
        ? TRANSPORT_ALIASES[declared]
        : undefined;
    if (!kind) {
      issues.push({
        path: `${path}.${entry.type !== undefined ? 'type' : 'transport'}`,
        expected: '"stdio", "http", "streamable-http", "sse", "websocket" or "ws"',
        found: declared,
      });
      return undefined;
    }
  }
  if (entry.command !== undefined && entry.url !== undefined) {
    issues.push({ path, expected: 'either "command" or "url", not both', found: 'both' });
    return undefined;
  }
  if (entry.command !== undefined || kind === 'stdio') {
    if (typeof entry.command !== 'string' || entry.command.trim() === '') {
      issues.push({
        path: `${path}.command`,
        expected: 'a non-empty string',
        found: entry.command,
      });
      return undefined;
    }
    const args = stringArray(entry.args, `${path}.args`, issues);
    const childEnv = stringRecord(entry.env, `${path}.env`, env, issues);
    if (entry.cwd !== undefined && typeof entry.cwd !== 'string') {
      issues.push({ path: `${path}.cwd`, expected: 'a string', found: entry.cwd });
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
    return {
      type: 'stdio',
      command,
      ...(args
        ? { args: args.map((arg, i) => interpolate(arg, `${path}.args[${i}]`, env, issues)) }
        : {}),
      ...(entry.env !== undefined ? { env: childEnv } : {}),
      ...(typeof entry.cwd === 'string'
        ? { cwd: interpolate(entry.cwd, `${path}.cwd`, env, issues) }
        : {}),
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
  if (typeof entry.url !== 'string') {
    issues.push({ path: `${path}.url`, expected: 'a URL string', found: entry.url });
    return undefined;
  }
  const url = interpolate(entry.url, `${path}.url`, env, issues);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    issues.push({ path: `${path}.url`, expected: 'an absolute URL', found: entry.url });
    return undefined;
  }
  const inferred = protocol === 'ws:' || protocol === 'wss:' ? 'websocket' : 'streamable-http';
  const type = kind ?? inferred;
  const wantsWs = type === 'websocket';
  if (
    wantsWs !== (protocol === 'ws:' || protocol === 'wss:') ||
    !['http:', 'https:', 'ws:', 'wss:'].includes(protocol)
  ) {
    issues.push({
      path: `${path}.url`,
      expected: wantsWs ? 'a ws:// or wss:// URL' : 'an http:// or https:// URL',
      found: entry.url,
    });
    return undefined;
  }
  const headers = stringRecord(entry.headers, `${path}.headers`, env, issues);
  return { type, url, ...(entry.headers !== undefined ? { headers } : {}) } as TransportConfig;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(
  entry: Json,
  allowed: ReadonlySet<string>,
  path: string,
  issues: ConfigIssue[],
): void {
  for (const key of Object.keys(entry)) {
    if (!allowed.has(key)) {
      issues.push({
        path: `${path}.${key}`,
        expected: `one of the known keys (${[...allowed].join(', ')})`,
        found: key,
      });
    }
  }
}

function stringArray(value: unknown, path: string, issues: ConfigIssue[]): string[] | undefined {
  if (value === undefined) return undefined;
  // An index loop, not some(): some() skips the holes of a sparse array.
  let strings = Array.isArray(value);
  for (let index = 0; strings && index < (value as unknown[]).length; index++) {
    strings = typeof (value as unknown[])[index] === 'string';
  }
  if (!strings) {
    issues.push({ path, expected: 'an array of strings', found: value });
    return undefined;
  }
  return [...(value as string[])];
}

function stringRecord(
  value: unknown,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) {
    issues.push({ path, expected: 'an object of strings', found: value });
    return {};
  }
  const record: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === PROTO_KEY) {
      issues.push({ path: `${path}.${key}`, expected: 'a key other than "__proto__"', found: key });
      continue;
    }
    if (typeof item !== 'string') {
      issues.push({ path: `${path}.${key}`, expected: 'a string', found: item });
      continue;
    }
    record[key] = interpolate(item, `${path}.${key}`, env, issues);
  }
  return record;
}

function optionalBoolean(value: unknown, path: string, issues: ConfigIssue[]): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  issues.push({ path, expected: 'true or false', found: value });
  return undefined;
}

function positiveNumber(value: unknown, path: string, issues: ConfigIssue[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    issues.push({ path, expected: 'a number > 0', found: value });
    return undefined;
  }
  return value;
}

function deepInterpolate(
  value: unknown,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
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
