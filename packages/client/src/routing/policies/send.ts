import { wasNeverSent } from '@mcpmx/core';
import { type CallEnvironment, recordOutcome, recordSent } from '../attempt-outcome.js';
import type { CallContext } from '../call-context.js';
import type { Replica } from '../replica.js';
import { failed } from './retry.js';

/**
 * The last step of the call path: sends the attempt on the picked replica, on the session a
 * request sent now would use (`SessionPool.ready`, no wait) or else through the pool, and
 * settles it through the one outcome path. A request on a ready session that fails as never
 * sent (the session closed just before it went out) goes through the pool once, which picks or
 * opens another session: it was not executed, so this cannot run it twice.
 */
export function createSend(environment: CallEnvironment) {
  return async <P, T>(context: CallContext<P, T>): Promise<T> => {
    const replica = context.replica as Replica;
    const { pool } = replica;
    const { request } = context;
    const session = pool.ready?.();
    recordSent(environment, context, replica);
    let value: T;
    try {
      value = await request.send(session ?? pool, request.params, request.options, replica);
    } catch (error) {
      if (session === undefined || !wasNeverSent(error)) {
        recordOutcome(environment, context, replica, error);
        return failed(context, error);
      }
      try {
        value = await request.send(pool, request.params, request.options, replica);
      } catch (again) {
        recordOutcome(environment, context, replica, again);
        return failed(context, again);
      }
    }
    recordOutcome(environment, context, replica, undefined);
    request.answered?.(value, replica);
    return value;
  };
}
