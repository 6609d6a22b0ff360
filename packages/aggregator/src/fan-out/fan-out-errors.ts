import { McpmxError } from '@mcpmx/core';

/** One target of a fan-out failed (or timed out); `server` names it and `cause` holds why. */
export class TargetFailedError extends McpmxError {
  static override readonly errorCode = 'MCPMX_REMOTE_ERROR' as const;
  constructor(target: string, cause: unknown) {
    super(
      'MCPMX_REMOTE_ERROR',
      `fan-out target "${target}" failed: ${describeCause(cause)}. Check that server, or use the 'all-settled' strategy to keep the other results.`,
      { server: target, cause },
    );
    this.name = 'TargetFailedError';
  }
}

/** A target did not settle within `perTargetTimeoutMs`; its signal was aborted. */
export class TargetTimeoutError extends McpmxError {
  static override readonly errorCode = 'MCPMX_TIMEOUT' as const;
  readonly timeoutMs: number;
  constructor(target: string, timeoutMs: number) {
    super(
      'MCPMX_TIMEOUT',
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
  static override readonly errorCode = 'MCPMX_REMOTE_ERROR' as const;
  readonly errors: ReadonlyMap<string, unknown>;
  constructor(message: string, errors: ReadonlyMap<string, unknown>) {
    const detail = [...errors].map(([target, error]) => `${target}: ${describeCause(error)}`);
    super('MCPMX_REMOTE_ERROR', `${message} (${detail.join('; ') || 'no targets'})`, {
      attempts: errors.size,
      cause: new AggregateError([...errors.values()], message),
    });
    this.name = 'FanOutFailedError';
    this.errors = errors;
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
