import type { Clock, Redactor } from '@mcpmx/core';

export interface DeadlineParts {
  clock: Clock;
  redactor: Redactor;
  timeoutMs: number;
  /** Aborts when the client closes. */
  lifetime: AbortSignal;
}

/**
 * Runs one handler for a server request: its signal aborts when the server cancels
 * (`serverSignal`, which also ends with the call), when `timeoutMs` passes, or when the client
 * closes, and the wait ends then too. A throw, a rejection or the timeout becomes an Error
 * whose message, redacted, is what the server reads in its JSON-RPC error (-32603).
 */
export async function answerWithDeadline<T>(
  parts: DeadlineParts,
  what: string,
  serverSignal: AbortSignal,
  run: (signal: AbortSignal) => T | Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let fail: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const abort = (reason: unknown) => {
    controller.abort(reason);
    fail(reason);
  };
  const onServer = () => abort(new Error(`the server cancelled its request (${what})`));
  const onClose = () => abort(new Error(`the client closed while ${what} waited for an answer`));
  serverSignal.addEventListener('abort', onServer, { once: true });
  parts.lifetime.addEventListener('abort', onClose, { once: true });
  const timer = parts.clock.setTimeout(
    () =>
      abort(
        new Error(
          `${what} got no answer within interactionTimeoutMs (${parts.timeoutMs} ms); the handler's signal was aborted`,
        ),
      ),
    parts.timeoutMs,
  );
  try {
    if (serverSignal.aborted) onServer();
    if (parts.lifetime.aborted) onClose();
    return await Promise.race([Promise.resolve().then(() => run(controller.signal)), stopped]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(parts.redactor.redact(message));
  } finally {
    parts.clock.clearTimeout(timer);
    serverSignal.removeEventListener('abort', onServer);
    parts.lifetime.removeEventListener('abort', onClose);
  }
}
