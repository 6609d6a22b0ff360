import { AssertionError } from 'node:assert';
import type { Discovery, DiscoveryEvents } from '@mcpmx/core';

/**
 * Resolves with the first `event` payload from `discovery` that satisfies `predicate`, or
 * rejects after `timeoutMs` (default 10 000) with an AssertionError naming what it waited for
 * and the last payload seen. Register it before causing the change. A predicate that throws
 * rejects with that error.
 */
export function nextEvent<K extends keyof DiscoveryEvents>(
  discovery: Discovery,
  event: K,
  predicate: (payload: DiscoveryEvents[K]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<DiscoveryEvents[K]> {
  return new Promise((resolve, reject) => {
    let last: DiscoveryEvents[K] | undefined;
    const timer = setTimeout(() => {
      dispose();
      reject(
        new AssertionError({
          message:
            `Timed out after ${timeoutMs} ms waiting for a matching '${String(event)}' event from ${discovery.id}` +
            (last === undefined ? ' (none arrived)' : ` (last: ${safeJson(last)})`),
        }),
      );
    }, timeoutMs);
    const dispose = discovery.on(event, (payload) => {
      last = payload;
      let matches = false;
      try {
        matches = predicate(payload);
      } catch (error) {
        clearTimeout(timer);
        dispose();
        reject(error);
        return;
      }
      if (!matches) return;
      clearTimeout(timer);
      dispose();
      resolve(payload);
    });
  });
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, inner) =>
      inner instanceof Error ? `${inner.name}: ${inner.message}` : inner,
    );
  } catch {
    return String(value);
  }
}
