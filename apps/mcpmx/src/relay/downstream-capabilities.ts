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

type Extra = Parameters<NonNullable<Transport['onmessage']>>[1];
type Deliver = (message: JSONRPCMessage, extra: Extra) => void;

/**
 * A message handler that holds every message, from the first on, until `handled(first)` has
 * settled: then the held ones go to `deliver()` in order, and every later one straight through.
 * When `handled` rejects, `onFailure` says whether they are delivered anyway or dropped (with
 * all that come after).
 */
function holdFromFirst(
  handled: (first: JSONRPCMessage) => Promise<void>,
  deliver: () => Deliver | undefined,
  onFailure: 'deliver' | 'drop',
): Deliver {
  let held: [JSONRPCMessage, Extra][] | undefined;
  let state: 'holding' | 'open' | 'dropped' = 'holding';
  return (message, extra) => {
    if (state === 'open') return deliver()?.(message, extra);
    if (state === 'dropped') return;
    if (held) return void held.push([message, extra]);
    held = [[message, extra]];
    const release = () => {
      const waiting = held ?? [];
      held = undefined;
      state = 'open';
      for (const [next, nextExtra] of waiting) deliver()?.(next, nextExtra);
    };
    handled(message).then(release, () => {
      if (onFailure === 'deliver') return release();
      held = undefined;
      state = 'dropped';
    });
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
  const gate: Transport = {
    start: () => transport.start(),
    send: (message, options) => transport.send(message, options),
    close: () => transport.close(),
    setProtocolVersion: (version) => transport.setProtocolVersion?.(version),
  };
  transport.onclose = () => gate.onclose?.();
  transport.onerror = (error) => gate.onerror?.(error);
  transport.onmessage = holdFromFirst(opened, () => gate.onmessage, 'drop');
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
  const deliver = transport.onmessage;
  transport.onmessage = holdFromFirst(admit, () => deliver, 'deliver');
}
