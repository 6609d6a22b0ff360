/**
 * The mcpmx error hierarchy. Every error has a stable string `code` (one per class), an
 * optional `cause`, and structured fields (`server`, `replica`, `attempts`, ...). Checks use
 * `isInstance`, which reads the class's own marker, set on every instance of that class and
 * its subclasses (as vercel/ai's error markers do), so a check survives two installed copies
 * of a package and never confuses two classes.
 *
 * A marker is a `Symbol.for` key spelled out from a string the class declares, never from the
 * class's runtime name: `mcpmx.error.<errorCode>` for a class with its own `errorCode` (every
 * mcpmx class), `mcpmx.error` for the base. A minifier renames classes (two separately
 * minified packages both get a class `c`), so a marker taken from `constructor.name` would
 * make one package's error pass another's check.
 */

const BASE_MARKER = Symbol.for('mcpmx.error');

export type McpmxErrorCode =
  | 'MCPMX_INVALID_OPTION'
  | 'MCPMX_INVALID_CONFIG'
  | 'MCPMX_CONNECT_FAILED'
  | 'MCPMX_AUTH_FAILED'
  | 'MCPMX_AUTH_REQUIRED'
  | 'MCPMX_TOKEN_STORE_FAILED'
  | 'MCPMX_ENDPOINT_NOT_FOUND'
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
  | 'MCPMX_MESSAGE_TOO_LARGE'
  | 'MCPMX_REMOTE_ERROR'
  | 'MCPMX_INTERACTION_FAILED'
  | 'MCPMX_INVALID_REQUEST'
  | 'MCPMX_TRANSPORT_ERROR'
  | 'MCPMX_CONCURRENCY_LIMIT'
  | 'MCPMX_CLIENT_CLOSED'
  | 'MCPMX_NOT_STARTED'
  | 'MCPMX_START_TIMEOUT'
  | 'MCPMX_UNKNOWN_PROMPT'
  | 'MCPMX_UNKNOWN_RESOURCE'
  | 'MCPMX_TARGET_FAILED'
  | 'MCPMX_FAN_OUT_FAILED'
  | 'MCPMX_TARGET_TIMEOUT'
  | 'MCPMX_INVALID_CACHE_KEY'
  | 'MCPMX_NO_TIMER_SCHEDULED';

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

  constructor(code: McpmxErrorCode, message: string, fields: McpmxErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'McpmxError';
    this.code = code;
    this.server = fields.server;
    this.replica = fields.replica;
    this.attempts = fields.attempts;
    // Every class from the instance's own up to McpmxError marks it, so `isInstance` on a base
    // class is true for its subclasses, and on a class never true for a sibling.
    for (
      let type: unknown = new.target;
      type && type !== Error;
      type = Object.getPrototypeOf(type)
    ) {
      const marker = markerOf(type as { name: string });
      Object.defineProperty(this, marker, { value: true, enumerable: false });
    }
  }

  /** The code every instance of this class carries; undefined on the base class. */
  static readonly errorCode: McpmxErrorCode | undefined = undefined;

  /**
   * True for an instance of this class or a subclass, from any installed copy of the package
   * that defines it: the check reads the class's own `Symbol.for` marker, never the code.
   */
  static isInstance<T extends abstract new (...args: never[]) => McpmxError>(
    this: T,
    value: unknown,
  ): value is InstanceType<T> {
    if (typeof value !== 'object' || value === null) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance was called on.
    return (value as Record<symbol, unknown>)[markerOf(this)] === true;
  }

  /** True when `value` is an mcpmx error with this `code`. */
  static hasCode<C extends McpmxErrorCode>(
    value: unknown,
    code: C,
  ): value is McpmxError & { code: C } {
    return McpmxError.isInstance(value) && value.code === code;
  }
}

/**
 * The marker of a class: `mcpmx.error` for the base; `mcpmx.error.<errorCode>` for a class
 * that declares its own `errorCode`; for a subclass that declares none (a user's own
 * refinement), `mcpmx.error.class.<name>`, so it still differs from the class it extends.
 */
function markerOf(type: { name: string }): symbol {
  if ((type as unknown) === McpmxError) return BASE_MARKER;
  const code = Object.hasOwn(type, 'errorCode')
    ? (type as { errorCode?: McpmxErrorCode }).errorCode
    : undefined;
  return Symbol.for(code === undefined ? `mcpmx.error.class.${type.name}` : `mcpmx.error.${code}`);
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
