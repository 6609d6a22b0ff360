import { CancelledError, McpmxError } from '@mcpmx/core';

/**
 * Under strategy `'all'`, one target failed (or timed out), so the fan-out failed; `server`
 * names the target and `cause` holds its error.
 */
export class TargetFailedError extends McpmxError {
  static override readonly errorCode = 'MCPMX_TARGET_FAILED' as const;
  constructor(target: string, cause: unknown) {
    super(
      'MCPMX_TARGET_FAILED',
      `fan-out target "${target}" failed: ${describeCause(cause)}. Check that server, or use the 'all-settled' strategy to keep the other results.`,
      { server: target, cause },
    );
    this.name = 'TargetFailedError';
  }
}

/** A target did not settle within `perTargetTimeoutMs`; its signal was aborted. */
export class TargetTimeoutError extends McpmxError {
  static override readonly errorCode = 'MCPMX_TARGET_TIMEOUT' as const;
  readonly timeoutMs: number;
  constructor(target: string, timeoutMs: number) {
    super(
      'MCPMX_TARGET_TIMEOUT',
      `fan-out target "${target}" did not answer within ${timeoutMs} ms; raise perTargetTimeoutMs or check that server.`,
      { server: target },
    );
    this.name = 'TargetTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The fan-out as a whole could not succeed: no target succeeded (first-success) or the
 * quorum became unreachable. `errors` maps every failed target to its error.
 */
export class FanOutFailedError extends McpmxError {
  static override readonly errorCode = 'MCPMX_FAN_OUT_FAILED' as const;
  readonly errors: ReadonlyMap<string, unknown>;
  constructor(message: string, errors: ReadonlyMap<string, unknown>) {
    const detail = [...errors].map(([target, error]) => `${target}: ${describeCause(error)}`);
    super('MCPMX_FAN_OUT_FAILED', `${message} (${detail.join('; ') || 'no targets'})`, {
      attempts: errors.size,
      cause: new AggregateError([...errors.values()], message),
    });
    this.name = 'FanOutFailedError';
    this.errors = errors;
  }
}

/**
 * The abort reason of a target still running when the fan-out settled without it: a
 * cancellation (`CancelledError.isInstance` is true, code `MCPMX_CANCELLED`), so whatever the
 * target was doing counts as cancelled, not as a failure of its server. Not exported.
 */
export class LostRaceError extends CancelledError {
  constructor(target: string) {
    super(
      `fan-out target "${target}" was cancelled because the fan-out settled without it; no action is needed`,
      { server: target },
    );
    this.name = 'LostRaceError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
