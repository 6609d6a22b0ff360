import { McpmxError, type McpmxErrorFields } from './errors.js';

/** A client was used before `start()` was called. */
export class NotStartedError extends McpmxError {
  static override readonly errorCode = 'MCPMX_NOT_STARTED' as const;
  constructor(what: string) {
    super('MCPMX_NOT_STARTED', `${what}: the client is not started; call start() first.`);
    this.name = 'NotStartedError';
  }
}

/** A client was used after `close()`; a closed client cannot be started again. */
export class ClientClosedError extends McpmxError {
  static override readonly errorCode = 'MCPMX_CLIENT_CLOSED' as const;
  constructor(what: string) {
    super(
      'MCPMX_CLIENT_CLOSED',
      `${what}: the client is closed; create a new client to connect again.`,
    );
    this.name = 'ClientClosedError';
  }
}

/**
 * A server did not answer within the client's `startTimeoutMs`: `start()` reports it among the
 * failed servers and resolves; the server keeps connecting in the background.
 */
export class StartTimeoutError extends McpmxError {
  static override readonly errorCode = 'MCPMX_START_TIMEOUT' as const;
  readonly timeoutMs: number;
  constructor(message: string, fields: McpmxErrorFields & { timeoutMs: number }) {
    super('MCPMX_START_TIMEOUT', message, fields);
    this.name = 'StartTimeoutError';
    this.timeoutMs = fields.timeoutMs;
  }
}
