import { McpmxError } from '@mcpmx/core';

/**
 * A server or replica id is not in the registry. Uses core's `MCPMX_UNKNOWN_SERVER` code;
 * core has no class for it, so it lives here.
 */
export class UnknownServerError extends McpmxError {
  constructor(what: { server?: string; replica?: string }) {
    const name =
      what.replica !== undefined ? `replica "${what.replica}"` : `server "${what.server}"`;
    super(
      'MCPMX_UNKNOWN_SERVER',
      `Unknown ${name}: it is not registered. Check the config or discovery source that should provide it.`,
      what,
    );
    this.name = 'UnknownServerError';
  }
}
