import type { Policy } from '../call-context.js';

/**
 * The budget policy, outermost: a call that is already cancelled does not start, and every
 * call gets its deadline (`started + budgetMs`), which bounds its retries, its waits for a
 * probe and its time in a replica's queue. Each attempt's own timeout is `options.timeoutMs`.
 */
export function createBudgetPolicy(budgetMs: number): Policy {
  return (context, next) => {
    if (context.request.signal?.aborted) return Promise.reject(context.cancelled());
    context.deadline = context.started + budgetMs;
    return next(context);
  };
}
