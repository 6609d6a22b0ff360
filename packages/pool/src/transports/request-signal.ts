import { setMaxListeners } from 'node:events';

/**
 * The request with a signal of its own that follows the one it was given, and a function that
 * stops the following once the request is over. The SDK gives every request of a session the
 * session's one signal, and fetch adds an abort listener to the signal it is given that goes
 * only when the request is garbage collected: at a few thousand requests a second that passed
 * Node's limit of 1,500 and printed "Possible EventTarget memory leak detected" warnings. Here
 * the session's signal has one listener per request in flight, removed when its answer has
 * been read (or failed, or was cancelled). (`AbortSignal.any` would do it without the release,
 * but on Node 20 the signals it makes are never collected.)
 */
export function ownSignal(init: RequestInit | undefined): {
  init: RequestInit | undefined;
  release: () => void;
} {
  const signal = init?.signal;
  if (!signal || signal.aborted) return { init, release: noop };
  // One listener per request in flight (which the pool bounds), not per request ever made; the
  // default limit of 10 would warn at 11 in flight.
  if (!raised.has(signal)) {
    raised.add(signal);
    setMaxListeners(0, signal);
  }
  const own = new AbortController();
  const abort = () => own.abort(signal.reason);
  signal.addEventListener('abort', abort, { once: true });
  return {
    init: { ...init, signal: own.signal },
    release: () => signal.removeEventListener('abort', abort),
  };
}

const noop = () => {};
/** Signals whose listener limit ownSignal lifted. */
const raised = new WeakSet<AbortSignal>();
