import { McpmxError } from '@mcpmx/core';

/** Consul answered with something other than a usable health response. Code MCPMX_DISCOVERY_FAILED. */
export class ConsulDiscoveryError extends McpmxError {
  static override readonly errorCode = 'MCPMX_DISCOVERY_FAILED' as const;
  /** HTTP status, when Consul answered at all. */
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('MCPMX_DISCOVERY_FAILED', message, { cause: options.cause });
    this.name = 'ConsulDiscoveryError';
    this.status = options.status;
  }
}
