import { checkNumber, InvalidOptionError } from '@mcpmx/core';
import type {
  InteractionHandlers,
  InteractionOptions,
  LoggingLevel,
  ServerInteractionOptions,
} from './interaction-types.js';

/** Default longest wait for one handler answer. */
export const DEFAULT_INTERACTION_TIMEOUT_MS = 600_000;

/** MCP's log levels (RFC 5424 severities), least severe first. */
export const LOGGING_LEVELS = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
] as const satisfies readonly LoggingLevel[];

const LEVELS = new Set<string>(LOGGING_LEVELS);

/** Checks the handler options of the client (`where` = "" ) or of one server (`servers.x.`). */
export function checkHandlers(
  handlers: (InteractionHandlers & { onLog?: unknown }) | undefined,
  where: string,
): void {
  if (handlers === undefined) return;
  for (const name of ['onElicitation', 'onSampling', 'onLog'] as const) {
    const value = handlers[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new InvalidOptionError(`${where}${name}`, 'a function', value);
    }
  }
  const roots = handlers.roots;
  if (roots !== undefined && typeof roots !== 'function') checkRoots(roots, `${where}roots`);
}

/** A roots list: an array of `{ uri: "file://..." }`. */
export function checkRoots(roots: unknown, option: string): void {
  if (!Array.isArray(roots)) {
    throw new InvalidOptionError(option, 'an array of roots or a function', roots);
  }
  roots.forEach((root: { uri?: unknown }, index) => {
    if (typeof root?.uri !== 'string' || !root.uri.startsWith('file://')) {
      throw new InvalidOptionError(`${option}[${index}].uri`, 'a file:// URI', root?.uri);
    }
  });
}

export function checkLogLevel(level: unknown): void {
  if (typeof level !== 'string' || !LEVELS.has(level)) {
    throw new InvalidOptionError('level', `one of ${[...LEVELS].join(', ')}`, level);
  }
}

export function resolveInteractionOptions(
  options: InteractionOptions,
  servers: Readonly<Record<string, ServerInteractionOptions | object>> | undefined,
) {
  checkHandlers(options, '');
  for (const [name, server] of Object.entries(servers ?? {})) {
    checkHandlers(server as ServerInteractionOptions, `servers.${name}.`);
  }
  const timeoutMs = options.interactionTimeoutMs ?? DEFAULT_INTERACTION_TIMEOUT_MS;
  checkNumber('interactionTimeoutMs', timeoutMs, { min: 0, exclusiveMin: true });
  return timeoutMs;
}
