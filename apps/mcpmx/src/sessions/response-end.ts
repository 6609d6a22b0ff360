/**
 * The same response, with `done` called once when its body has been sent in full, when
 * `signal` aborts (the client went away), or at once when it has no body: how a session knows
 * a request of it (its GET stream included) is no longer open. `signal` is the connection's
 * own, not a web Request's: Node's Request follows the signal it was given only through a weak
 * reference, which garbage collection can drop.
 */
export function onResponseEnd(response: Response, signal: AbortSignal, done: () => void): Response {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    signal.removeEventListener('abort', once);
    done();
  };
  if (!response.body || signal.aborted) {
    once();
    return response;
  }
  signal.addEventListener('abort', once, { once: true });
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({ flush: once }),
  );
  // pipeThrough settles when either side ends; a cancelled body (the reader left) ends it too.
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
