import { McpmxError, type McpmxErrorFields } from './errors.js';

/**
 * A replica's concurrency limit kept a call from being sent: its queue was full, or the call
 * waited in it past its timeout. The call never reached the server, so another replica may
 * take it.
 */
export class ConcurrencyLimitError extends McpmxError {
  static override readonly errorCode = 'MCPMX_CONCURRENCY_LIMIT' as const;
  readonly reason: 'queue-full' | 'queue-timeout';
  constructor(
    message: string,
    fields: McpmxErrorFields & { reason: 'queue-full' | 'queue-timeout' },
  ) {
    super('MCPMX_CONCURRENCY_LIMIT', message, fields);
    this.name = 'ConcurrencyLimitError';
    this.reason = fields.reason;
  }
}
