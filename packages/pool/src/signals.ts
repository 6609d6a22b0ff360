/** Something with an idempotent async close(): a pool, a client, a gateway. */
export interface Closeable {
  close(): Promise<void>;
}

/**
 * Closes `target` when the process gets one of `signals`, then lets the signal take its
 * default course (the process exits with it), so no child process or socket outlives a
 * Ctrl-C or a `kill`. Returns a function that removes the handlers.
 */
export function closeOnSignals(
  target: Closeable,
  signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'],
): () => void {
  const handler = (signal: NodeJS.Signals) => {
    remove();
    target.close().then(
      () => process.kill(process.pid, signal),
      () => process.kill(process.pid, signal),
    );
  };
  const remove = () => {
    for (const signal of signals) process.off(signal, handler);
  };
  for (const signal of signals) process.on(signal, handler);
  return remove;
}
