import type { Advertised } from '@mcpmx/client';
import {
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/server';

/**
 * What a downstream client's opening message declares it can do: an `initialize`'s
 * capabilities (2025-11-25), or those in a request's `_meta` envelope (2026-07-28, where
 * every request declares them). Nothing, for a message that declares none.
 */
export function declaredCapabilities(message: JSONRPCMessage): ClientCapabilities {
  if (!('method' in message)) return {};
  const params = message.params as Record<string, unknown> | undefined;
  if (!params) return {};
  if (message.method === 'initialize' && typeof params.capabilities === 'object') {
    return (params.capabilities ?? {}) as ClientCapabilities;
  }
  const meta = params._meta as Record<string, unknown> | undefined;
  const declared = meta?.[CLIENT_CAPABILITIES_META_KEY];
  return typeof declared === 'object' && declared !== null ? (declared as ClientCapabilities) : {};
}

/**
 * What upstream servers are told from what a downstream client declared: elicitation in the
 * modes it declared (`elicitation: {}` is form mode, from before modes were declared),
 * sampling and roots when it declared them. The gateway answers what it advertises by asking
 * that client (see downstreamHandlers).
 */
export function advertiseFor(capabilities: ClientCapabilities): Advertised {
  const { elicitation } = capabilities;
  const form = elicitation !== undefined && (elicitation.form !== undefined || !elicitation.url);
  const url = elicitation?.url !== undefined;
  return {
    ...(form || url ? { elicitation: { form, url } } : {}),
    ...(capabilities.sampling ? { sampling: true } : {}),
    ...(capabilities.roots ? { roots: true } : {}),
  };
}

/**
 * `transport`, with its inbound messages held until `opened(first)`, called with the first
 * one, has resolved: then they are delivered in order, and every later one as it comes. So the
 * server behind it (serveStdio's) sees the downstream client's opening only once the gateway
 * has done what depends on it (connected its upstreams, telling them what that client can do).
 * When `opened` rejects, nothing is delivered.
 */
export function holdUntilOpened(
  transport: Transport,
  opened: (first: JSONRPCMessage) => Promise<void>,
): Transport {
  type Extra = Parameters<NonNullable<Transport['onmessage']>>[1];
  let held: [JSONRPCMessage, Extra][] | undefined;
  let open = false;
  const gate: Transport = {
    start: () => transport.start(),
    send: (message, options) => transport.send(message, options),
    close: () => transport.close(),
    setProtocolVersion: (version) => transport.setProtocolVersion?.(version),
  };
  transport.onclose = () => gate.onclose?.();
  transport.onerror = (error) => gate.onerror?.(error);
  transport.onmessage = (message, extra) => {
    if (open) return gate.onmessage?.(message, extra);
    if (held) return void held.push([message, extra]);
    held = [[message, extra]];
    opened(message).then(
      () => {
        for (const [waiting, waitingExtra] of held ?? []) gate.onmessage?.(waiting, waitingExtra);
        held = undefined;
        open = true;
      },
      () => {
        held = [];
      },
    );
  };
  return gate;
}

/**
 * Holds what a connected server transport delivers to its server, from the first message on,
 * until `admit(first)` has settled (fulfilled or not): then the held messages are delivered in
 * order, and every later one as it comes. An HTTP session's first message is its `initialize`:
 * held, its answer waits until the gateway has done what depends on what the client declared
 * (told the upstreams, see createAdvertisedUnion).
 */
export function holdFirstMessage(
  transport: Transport,
  admit: (first: JSONRPCMessage) => Promise<void>,
): void {
  type Extra = Parameters<NonNullable<Transport['onmessage']>>[1];
  const deliver = transport.onmessage;
  let held: [JSONRPCMessage, Extra][] | undefined;
  transport.onmessage = (message, extra) => {
    if (held) return void held.push([message, extra]);
    held = [[message, extra]];
    void admit(message)
      .catch(() => undefined)
      .then(() => {
        const waiting = held ?? [];
        held = undefined;
        transport.onmessage = deliver;
        for (const [next, nextExtra] of waiting) deliver?.(next, nextExtra);
      });
  };
}
