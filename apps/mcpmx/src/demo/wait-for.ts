import type { ClientEvents, MultiServerClient } from '@mcpmx/client';

/** An event name and the test its payload must pass; build one with {@link match}. */
export interface EventMatcher {
  event: keyof ClientEvents;
  matches: (payload: never) => boolean;
}

export function match<K extends keyof ClientEvents>(
  event: K,
  matches: (payload: ClientEvents[K]) => boolean,
): EventMatcher {
  return { event, matches };
}

/**
 * Resolves when the first of `matchers` sees a matching event, or rejects after `timeoutMs`
 * (or when `signal` aborts) with a message saying what was awaited. Its listeners and timer are
 * removed in every case, so a wait that lost a race never fires later.
 */
export function waitForEvent(
  client: MultiServerClient,
  matchers: readonly EventMatcher[],
  what: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const stops: (() => void)[] = [];
    const finish = (error?: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      for (const stop of stops) stop();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => finish(new Error(`stopped waiting for ${what}`));
    const timer = setTimeout(
      () => finish(new Error(`the demo waited ${timeoutMs} ms for ${what}, in vain`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    for (const { event, matches } of matchers) {
      stops.push(
        client.on(event, (payload) => {
          if (matches(payload as never)) finish();
        }),
      );
    }
    if (signal?.aborted) onAbort();
  });
}
