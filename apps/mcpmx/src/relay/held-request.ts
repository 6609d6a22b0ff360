import type { InteractionHandlers } from '@mcpmx/client';
import {
  type ClientCapabilities,
  inputRequired,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { downstreamHandlers } from './downstream-handlers.js';
import type { HeldCalls } from './held-calls.js';

type InputRequests = Parameters<typeof inputRequired>[0]['inputRequests'];

/** The downstream requests a 2026-07-28 server may answer with `input_required`. */
export type HeldMethod = 'tools/call' | 'resources/read' | 'prompts/get';

const AGAIN: Record<HeldMethod, string> = {
  'tools/call': 'call the tool again',
  'resources/read': 'read the resource again',
  'prompts/get': 'get the prompt again',
};

/**
 * A 2026-07-28 downstream `tools/call`, `resources/read` or `prompts/get` through held calls
 * (see createHeldCalls): a first leg starts the request upstream, a retry (with the gateway's
 * `requestState`) continues it; either answers with the result, or with `input_required` when
 * an upstream asked for input meanwhile. A retry whose state the gateway did not sign, or whose
 * request has ended, is refused (invalid params). `busy` is the answer when the gateway holds
 * too many requests already.
 */
export async function heldRequest<T>(
  held: HeldCalls,
  method: HeldMethod,
  ctx: ServerContext,
  capabilities: ClientCapabilities,
  start: (handlers: InteractionHandlers, signal: AbortSignal) => Promise<T>,
  busy: () => T,
): Promise<T | ReturnType<typeof inputRequired>> {
  const state = ctx.mcpReq.requestState();
  let id: string;
  if (state !== undefined) {
    const resumed = held.resume(state, ctx.mcpReq.inputResponses);
    if (resumed === 'forged') {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `requestState was not issued by this gateway (or it restarted since): ${AGAIN[method]} without it`,
      );
    }
    if (resumed === 'ended') {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `the ${method} this requestState continues has ended (cancelled, or its input came too late): ${AGAIN[method]} without it`,
      );
    }
    id = resumed;
  } else {
    const begun = held.begin((ask, signal) => start(downstreamHandlers(capabilities, ask), signal));
    if (begun === undefined) return busy();
    id = begun;
  }
  const round = await held.next<T>(id, ctx.mcpReq.signal);
  if (round.kind === 'done') return round.result;
  return inputRequired({
    inputRequests: round.inputRequests as unknown as InputRequests,
    requestState: round.requestState,
  });
}

/** The message of a request refused because too many wait for input already. */
export const TOO_MANY_HELD =
  'the gateway holds too many calls waiting for input already; retry later';

/** `busy` for a request whose failure is a protocol error (not a tool's result). */
export const refuseBusy = (): never => {
  throw new ProtocolError(ProtocolErrorCode.InternalError, TOO_MANY_HELD);
};
