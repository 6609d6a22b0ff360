import type { EndpointDescriptor } from '@mcpmx/core';
import type { Client } from '@modelcontextprotocol/client';
import {
  answerError,
  type Dispatch,
  type PoolInteractions,
  registerInteractions,
  type ServerRequest,
} from './interactions.js';
import type { Attribution, Ownership } from './request-attribution.js';

/**
 * Wires a session's SDK client to its owner: each server request goes to `onRequest` with the
 * call it belongs to (see request-attribution.ts), each notification to `onNotification`.
 * `inFlight` reads the session's requests in flight (0 until it is open).
 */
export function answerServerRequests(
  client: Client,
  endpoint: EndpointDescriptor,
  interactions: PoolInteractions,
  attribution: Attribution,
  inFlight: () => number,
): void {
  const dispatch: Dispatch = (request, serverRequestId, signal) =>
    answer(
      interactions,
      endpoint,
      request,
      attribution.ownerOf(serverRequestId, request.method, inFlight()),
      signal,
    );
  registerInteractions(client, interactions, dispatch, (notification) =>
    interactions.onNotification?.(notification, {
      replica: endpoint.id,
      attribution: attribution.soleOwner(inFlight())?.attribution,
    }),
  );
}

/**
 * One server request, answered by the owner: the call it belongs to (if known) has its timeout
 * held meanwhile, and the handler's signal aborts when the server cancels or that call ends.
 */
export async function answer(
  interactions: PoolInteractions,
  endpoint: EndpointDescriptor,
  request: ServerRequest,
  { mark, basis }: Ownership,
  serverSignal: AbortSignal,
): Promise<Record<string, unknown>> {
  const release = mark?.timer.pause();
  const signal = anySignal(serverSignal, mark?.ended);
  try {
    return await interactions.onRequest(request, {
      replica: endpoint.id,
      signal: signal.signal,
      attribution: mark?.attribution,
      basis,
    });
  } catch (error) {
    throw answerError(error);
  } finally {
    release?.();
    signal.dispose();
  }
}

/** A signal that aborts with the first of two; `dispose` removes its listeners. */
function anySignal(a: AbortSignal, b?: AbortSignal): { signal: AbortSignal; dispose(): void } {
  if (b === undefined) return { signal: a, dispose: () => undefined };
  const controller = new AbortController();
  const onA = () => controller.abort(a.reason);
  const onB = () => controller.abort(b.reason);
  if (a.aborted) onA();
  else if (b.aborted) onB();
  a.addEventListener('abort', onA, { once: true });
  b.addEventListener('abort', onB, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      a.removeEventListener('abort', onA);
      b.removeEventListener('abort', onB);
    },
  };
}
