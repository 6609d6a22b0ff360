import { InvalidArgumentError } from 'commander';
import { resolveSessionOptions, type SessionOptions } from './session-options.js';

/** A flag's whole-number value (commander's argParser). */
export function parseWholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  }
  return Number(value);
}

/**
 * The session options `--session-idle-timeout` and `--max-sessions` set, checked as the gateway
 * will check them, so an error names the flag (`--max-sessions must be ...`).
 */
export function sessionsFromFlags(flags: {
  sessionIdleTimeout?: number;
  maxSessions?: number;
}): Partial<SessionOptions> {
  const sessions: Partial<SessionOptions> = {};
  if (flags.sessionIdleTimeout !== undefined) sessions.idleTimeoutMs = flags.sessionIdleTimeout;
  if (flags.maxSessions !== undefined) sessions.maxSessions = flags.maxSessions;
  resolveSessionOptions(sessions, {
    idleTimeoutMs: '--session-idle-timeout',
    maxSessions: '--max-sessions',
  });
  return sessions;
}
