// A stand-in for your call.
const call = async () => 'ok';

// #region readme
import { consecutiveFailures, createCircuitBreaker, defaultFailureClassifier } from '@mcpmx/breaker';
import { CircuitOpenError } from '@mcpmx/core';

const breaker = createCircuitBreaker({ policy: consecutiveFailures(5) });
if (!breaker.tryAcquire()) {
  const retryAfterMs = breaker.retryAfterMs();
  throw new CircuitOpenError(`breaker open; retry in ${retryAfterMs} ms`, { retryAfterMs });
}
try {
  await call();
  breaker.recordSuccess();
} catch (error) {
  if (defaultFailureClassifier(error)) breaker.recordFailure(error);
  else breaker.recordSuccess(); // the caller's own mistake says nothing about the server
  throw error;
}
breaker.on('state-change', ({ from, to, at }) => console.log(from, '->', to, at));
// #endregion readme
