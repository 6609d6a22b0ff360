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
    if (!retryable(context, firstError)) throw finalError(context, firstError);
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

  return (context, next) =>
    attempt(context, next).then(undefined, (error: unknown) => retryAfter(context, next, error));
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
