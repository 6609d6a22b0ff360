import { McpmxError } from './errors.js';

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
