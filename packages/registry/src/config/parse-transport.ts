import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  acceptsScheme,
  type ConfigIssue,
  kindOfUrl,
  TRANSPORT_KINDS,
  type TransportConfig,
  transportKindOf,
  type URL_TRANSPORT_KINDS,
} from '@mcpmx/core';
import type { z } from 'zod';
import type { replicaSchema } from './config-schema.js';
import type { EnvAccess } from './env-access.js';
import { parseEnvFile } from './env-file.js';
import { interpolate, interpolateRecord } from './interpolate.js';

type Entry = z.output<typeof replicaSchema>;

/** What parsing one document needs everywhere. */
export interface ParseContext {
  env: EnvAccess;
  issues: ConfigIssue[];
  /** Where a relative `envFile` is found. */
  baseDir: string;
}

/**
 * A server's transport: stdio (`command`, `args`, `env`, `envFile`, `cwd`) or a URL (`url`,
 * `headers`, the kind from `type` or the scheme), every string interpolated.
 */
export function parseTransport(
  entry: Entry,
  path: string,
  context: ParseContext,
): TransportConfig | undefined {
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
function readEnvFile(written: string, path: string, context: ParseContext): Record<string, string> {
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
