import { checkNumber } from '@mcpmx/core';

/** How the HTTP gateway keeps 2025-11-25 sessions (`Mcp-Session-Id`). */
export interface SessionOptions {
  /**
   * A session with no request open (its GET stream included) for this long ends, as a DELETE
   * would end it; its id then gets 404. Default 600 000 (10 min).
   */
  idleTimeoutMs: number;
  /**
   * Sessions open at once; an `initialize` past it gets 503 with `Retry-After`. Default 100.
   * A session's GET stream also holds a connection and a request slot (see the front door).
   */
  maxSessions: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  idleTimeoutMs: 600_000,
  maxSessions: 100,
};

/** Seconds a client refused a session (maxSessions) is asked to wait. */
export const SESSION_RETRY_AFTER_SECONDS = 5;

/**
 * The options to apply: those given, the defaults for the rest, each checked. `names` says what
 * to call each one in an error (the CLI passes its flags); default its key.
 */
export function resolveSessionOptions(
  options: Partial<SessionOptions>,
  names: Partial<Record<keyof SessionOptions, string>> = {},
): SessionOptions {
  return {
    idleTimeoutMs: checkNumber(
      names.idleTimeoutMs ?? 'idleTimeoutMs',
      options.idleTimeoutMs ?? DEFAULT_SESSION_OPTIONS.idleTimeoutMs,
      { min: 1, integer: true },
    ),
    maxSessions: checkNumber(
      names.maxSessions ?? 'maxSessions',
      options.maxSessions ?? DEFAULT_SESSION_OPTIONS.maxSessions,
      { min: 1, integer: true },
    ),
  };
}
