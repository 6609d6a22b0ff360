/**
 * The mcpmx error hierarchy. Every error has a stable string `code`, an optional `cause`,
 * and structured fields (`server`, `replica`, `attempts`, ...). Checks use `isInstance`,
 * which works through a `Symbol.for` brand and so survives two installed copies of a package.
 */

const BRAND = Symbol.for('mcpmx.error');

export type McpmxErrorCode =
  | 'MCPMX_INVALID_OPTION'
  | 'MCPMX_INVALID_CONFIG'
  | 'MCPMX_CONNECT_FAILED'
  | 'MCPMX_SESSION_CLOSED'
  | 'MCPMX_ACQUIRE_TIMEOUT'
  | 'MCPMX_POOL_CLOSED'
  | 'MCPMX_TIMEOUT'
  | 'MCPMX_CANCELLED'
  | 'MCPMX_NO_HEALTHY_REPLICA'
  | 'MCPMX_CIRCUIT_OPEN'
  | 'MCPMX_UNKNOWN_TOOL'
  | 'MCPMX_UNKNOWN_SERVER'
  | 'MCPMX_NAME_CONFLICT'
  | 'MCPMX_DISCOVERY_FAILED'
  | 'MCPMX_PROTOCOL_ERROR'
  | 'MCPMX_REMOTE_ERROR';

export interface McpmxErrorFields {
  /** Logical server name, where one is known. */
  server?: string;
  /** Replica (endpoint) id, where one is known. */
  replica?: string;
  /** How many attempts were made before giving up. */
  attempts?: number;
  cause?: unknown;
}

export class McpmxError extends Error {
  readonly code: McpmxErrorCode;
  readonly server: string | undefined;
  readonly replica: string | undefined;
  readonly attempts: number | undefined;
  readonly [BRAND] = true;

  constructor(code: McpmxErrorCode, message: string, fields: McpmxErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'McpmxError';
    this.code = code;
    this.server = fields.server;
    this.replica = fields.replica;
    this.attempts = fields.attempts;
  }

  /** The code every instance of this class carries; undefined on the base class. */
  static readonly errorCode: McpmxErrorCode | undefined = undefined;

  /**
   * True for an mcpmx error of this class, from any installed copy of @mcpmx/core: on
   * McpmxError any mcpmx error, on a subclass one with that subclass's code.
   */
  static isInstance<T extends abstract new (...args: never[]) => McpmxError>(
    this: T & { errorCode?: McpmxErrorCode },
    value: unknown,
  ): value is InstanceType<T> {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[BRAND] !== true) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass isInstance was called on.
    const code = this.errorCode;
    return code === undefined || (value as { code?: unknown }).code === code;
  }

  /** True when `value` is an mcpmx error with this `code`. */
  static hasCode<C extends McpmxErrorCode>(
    value: unknown,
    code: C,
  ): value is McpmxError & { code: C } {
    return McpmxError.isInstance(value) && value.code === code;
  }
}

/** An option passed to a factory is out of range or of the wrong type. */
export class InvalidOptionError extends McpmxError {
  static override readonly errorCode = 'MCPMX_INVALID_OPTION' as const;
  readonly option: string;
  constructor(option: string, expected: string, got: unknown) {
    super('MCPMX_INVALID_OPTION', `${option} must be ${expected} (got ${describeValue(got)})`);
    this.name = 'InvalidOptionError';
    this.option = option;
  }
}

export interface ConfigIssue {
  /** JSON path of the offending value, e.g. `mcpServers.files.command`. */
  path: string;
  expected: string;
  found: unknown;
}

/** A config document (mcpServers JSON, discovery record) failed validation. */
export class ConfigError extends McpmxError {
  static override readonly errorCode = 'MCPMX_INVALID_CONFIG' as const;
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[], source?: string) {
    const where = source ? ` in ${source}` : '';
    const lines = issues.map(
      (issue) =>
        `  ${issue.path || '(root)'}: expected ${issue.expected}, found ${describeValue(issue.found)}`,
    );
    super('MCPMX_INVALID_CONFIG', `Invalid config${where}:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Renders a value for an error message: short, and never a whole object graph. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'function') return 'function';
  return typeof value;
}
