import type { ClientEvents, MultiServerClient } from '@mcpmx/client';

/**
 * Resolves with the first `event` whose payload matches, or rejects after `timeoutMs` with a
 * message saying what was awaited. The listener and the timer are removed either way.
 */
export function waitForEvent<K extends keyof ClientEvents>(
  client: MultiServerClient,
  event: K,
  matches: (payload: ClientEvents[K]) => boolean,
  what: string,
  timeoutMs: number,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the demo waited ${timeoutMs} ms for ${what}, in vain`));
    }, timeoutMs);
    const stop = client.on(event, (payload) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      stop();
      resolve(payload);
    });
  });
}
