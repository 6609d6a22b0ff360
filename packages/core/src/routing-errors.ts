import { McpmxError, type McpmxErrorFields } from './errors.js';
import { quoteName } from './quote-name.js';

export interface ReplicaFailure {
  replica: string;
  status: string;
  lastError?: string;
}

/** Every replica of a server is down, ejected or open. Lists each replica's last error. */
export class NoHealthyReplicaError extends McpmxError {
  static override readonly errorCode = 'MCPMX_NO_HEALTHY_REPLICA' as const;
  readonly replicas: readonly ReplicaFailure[];
  constructor(server: string, replicas: readonly ReplicaFailure[], fields: McpmxErrorFields = {}) {
    const detail = replicas.length
      ? replicas
          .map((r) => `  ${r.replica}: ${r.status}${r.lastError ? ` (${r.lastError})` : ''}`)
          .join('\n')
      : '  (no replicas registered)';
    super(
      'MCPMX_NO_HEALTHY_REPLICA',
      `No healthy replica for server "${server}":\n${detail}\nCheck that the server is running and reachable.`,
      { ...fields, server },
    );
    this.name = 'NoHealthyReplicaError';
    this.replicas = replicas;
  }
}

/** The breaker guarding a replica is open; the call was not sent. */
export class CircuitOpenError extends McpmxError {
  static override readonly errorCode = 'MCPMX_CIRCUIT_OPEN' as const;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, fields: McpmxErrorFields & { retryAfterMs?: number } = {}) {
    super('MCPMX_CIRCUIT_OPEN', message, fields);
    this.name = 'CircuitOpenError';
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** The longest URI quoted whole in a message; longer ones are cut. */
const MAX_URI_SHOWN = 256;

/** ` Did you mean "a", "b"?`, or nothing without suggestions. */
function didYouMeanHint(suggestions: readonly string[]): string {
  return suggestions.length
    ? ` Did you mean ${suggestions.map((s) => quoteName(s)).join(', ')}?`
    : '';
}

/** A tool name is not in the catalog. Suggests the closest names; a long name is cut. */
export class UnknownToolError extends McpmxError {
  static override readonly errorCode = 'MCPMX_UNKNOWN_TOOL' as const;
  readonly tool: string;
  readonly suggestions: readonly string[];
  constructor(tool: string, suggestions: readonly string[]) {
    super('MCPMX_UNKNOWN_TOOL', `Unknown tool ${quoteName(tool)}.${didYouMeanHint(suggestions)}`);
    this.name = 'UnknownToolError';
    this.tool = tool;
    this.suggestions = suggestions;
  }
}

/** A prompt name is not in the catalog. Suggests the closest names; a long name is cut. */
export class UnknownPromptError extends McpmxError {
  static override readonly errorCode = 'MCPMX_UNKNOWN_PROMPT' as const;
  readonly prompt: string;
  readonly suggestions: readonly string[];
  constructor(prompt: string, suggestions: readonly string[]) {
    super(
      'MCPMX_UNKNOWN_PROMPT',
      `Unknown prompt ${quoteName(prompt)}.${didYouMeanHint(suggestions)}`,
    );
    this.name = 'UnknownPromptError';
    this.prompt = prompt;
    this.suggestions = suggestions;
  }
}

/** No server lists the resource URI, and no server's URI template matches it. A long URI is cut. */
export class UnknownResourceError extends McpmxError {
  static override readonly errorCode = 'MCPMX_UNKNOWN_RESOURCE' as const;
  readonly uri: string;
  constructor(
    uri: string,
    message = `No server offers the resource ${quoteName(uri, MAX_URI_SHOWN)}.`,
  ) {
    super('MCPMX_UNKNOWN_RESOURCE', message);
    this.name = 'UnknownResourceError';
    this.uri = uri;
  }
}

/** No logical server (or no replica of it) by that name is registered. */
export class UnknownServerError extends McpmxError {
  static override readonly errorCode = 'MCPMX_UNKNOWN_SERVER' as const;
  constructor(message: string, fields: McpmxErrorFields = {}) {
    super('MCPMX_UNKNOWN_SERVER', message, fields);
    this.name = 'UnknownServerError';
  }
}

/** Two servers expose the same name under a naming policy that forbids prefixes. */
export class NameConflictError extends McpmxError {
  static override readonly errorCode = 'MCPMX_NAME_CONFLICT' as const;
  readonly conflictingName: string;
  readonly servers: readonly string[];
  constructor(name: string, servers: readonly string[]) {
    super(
      'MCPMX_NAME_CONFLICT',
      `Name "${name}" is exposed by more than one server (${servers.join(', ')}). ` +
        `Use naming "prefix" or "prefix-on-conflict", or rename the tool in one server's config.`,
    );
    this.name = 'NameConflictError';
    this.conflictingName = name;
    this.servers = servers;
  }
}

/** A discovery source failed to produce a set. The last known good set stays in force. */
export class DiscoveryError extends McpmxError {
  static override readonly errorCode = 'MCPMX_DISCOVERY_FAILED' as const;
  readonly source: string;
  constructor(source: string, message: string, fields: McpmxErrorFields = {}) {
    super('MCPMX_DISCOVERY_FAILED', `Discovery source "${source}": ${message}`, fields);
    this.name = 'DiscoveryError';
    this.source = source;
  }
}
