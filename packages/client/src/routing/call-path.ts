import type { CallEnvironment } from './attempt-outcome.js';
import type { CallContext, Next, Policy } from './call-context.js';
import { breakerGate } from './policies/breaker-gate.js';
import { createBudgetPolicy } from './policies/budget.js';
import { concurrencyLimit } from './policies/concurrency-limit.js';
import { createPickPolicy } from './policies/pick.js';
import { createRetryPolicy, type RetryPolicyOptions } from './policies/retry.js';
import { createSend } from './policies/send.js';

export interface CallPathOptions {
  retry: RetryPolicyOptions;
  /** Total time for all attempts and waits of one call, in ms. */
  budgetMs: number;
}

/**
 * Wraps `last` in `policies`, outermost first, as cockatiel's `wrap(...)` does: each policy
 * gets the context and the rest of the path. Built once; a call runs through closures only.
 */
export function wrap(policies: readonly Policy[], last: Next): Next {
  return policies.reduceRight<Next>(
    (next, policy) =>
      <P, T>(context: CallContext<P, T>) =>
        policy(context, next),
    last,
  );
}

/**
 * The call path of every route, in its fixed order: budget (deadline, cancelled before start)
 * → retry → pick → breaker gate → concurrency limit → send. See each policy's file.
 */
export function composeCallPath(environment: CallEnvironment, options: CallPathOptions): Next {
  return wrap(
    [
      createBudgetPolicy(options.budgetMs),
      createRetryPolicy(environment, options.retry),
      createPickPolicy(environment),
      breakerGate,
      concurrencyLimit,
    ],
    createSend(environment),
  );
}
