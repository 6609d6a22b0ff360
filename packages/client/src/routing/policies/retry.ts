import { McpmxError } from '@mcpmx/core';
import pRetry from 'p-retry';
import type { CallEnvironment } from '../attempt-outcome.js';
import type { CallContext, Next, Policy } from '../call-context.js';
import { mayRetry } from '../retry-safety.js';
import type { BackoffStrategy } from './backoff.js';

export interface RetryPolicyOptions {
  /** Further attempts after the first. */
  retries: number;
  backoff: BackoffStrategy;
}

/**
 * The retry policy: when an attempt fails and running the call again is safe (`mayRetry`: the
 * request provably never reached a server, or the tool is read-only or idempotent, and the
 * error is one another attempt can fix), p-retry runs it again, with the strategy's delays,
 * `shouldRetry`, the caller's `signal` and the call's deadline as `maxRetryTime`. The first
 * attempt runs outside p-retry, so a call that succeeds builds none of this; its error is
 * replayed as p-retry's first attempt, so the first retry waits like every other.
 */
export function createRetryPolicy(
  environment: CallEnvironment,
  options: RetryPolicyOptions,
): Policy {
  const retryable = <P, T>(context: CallContext<P, T>, error: unknown) =>
    options.retries > 0 &&
    context.request.signal?.aborted !== true &&
    environment.clock.now() < context.deadline &&
    mayRetry(error, context.request.facts);

  const retryAfter = async <P, T>(
    context: CallContext<P, T>,
    next: Next,
    firstError: unknown,
  ): Promise<T> => {
    context.recover = undefined;
    if (!retryable(context, firstError)) throw finalError(context, firstError);
    context.waited = true;
    let lastError = firstError;
    try {
      return await pRetry(
        (attemptNumber) =>
          // p-retry shortens the last wait to the time left; a retry due at the deadline is
          // not sent, the call fails with the error it has.
          attemptNumber === 1 || environment.clock.now() >= context.deadline
            ? Promise.reject(lastError)
            : attempt(context, next),
        {
          ...options.backoff.delays,
          retries: options.retries,
          maxRetryTime: Math.max(0, context.deadline - environment.clock.now()),
          signal: context.request.signal,
          shouldRetry: ({ error, attemptNumber }) => {
            lastError = error;
            if (!retryable(context, error)) return false;
            environment.emit('retry', {
              server: context.route.server,
              method: context.request.method,
              target: context.request.target,
              attempt: attemptNumber,
              error,
              at: environment.clock.now(),
            });
            return true;
          },
        },
      );
    } catch (error) {
      throw finalError(context, error);
    }
  };

  const recover = <P, T>(context: CallContext<P, T>, error: unknown): Promise<T> =>
    retryAfter(context, context.retryFrom as Next, error);

  // The first attempt is not wrapped in a promise of this policy's (which would cost every
  // call a promise and a turn of the event loop): the policy leaves `recover` on the call, and
  // the step where the attempt fails hands its error back here (see `failed`). Later attempts
  // run inside p-retry, which sees their errors itself.
  return (context, next) => {
    context.retryFrom = next;
    context.recover = recover;
    try {
      return next(context);
    } catch (error) {
      return failed(context, error);
    }
  };
}

/**
 * Where a step of the call path ends a failed attempt: hands the error to the retry policy while
 * it waits for the first attempt's outcome, and otherwise rejects with it.
 */
export function failed<P, T>(context: CallContext<P, T>, error: unknown): Promise<T> {
  const recover = context.recover;
  if (recover === undefined) return Promise.reject(error);
  context.recover = undefined;
  return recover(context, error);
}

/** Runs the rest of the path, turning a synchronous refusal into a rejection. */
function attempt<P, T>(context: CallContext<P, T>, next: Next): Promise<T> {
  try {
    return next(context);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** What the caller sees: the attempt's error, or a CancelledError when the caller aborted. */
function finalError<P, T>(context: CallContext<P, T>, error: unknown): unknown {
  if (context.request.signal?.aborted && !McpmxError.isInstance(error)) return context.cancelled();
  return error;
}
