import type { InteractionHandlers } from '@mcpmx/client';
import {
  type CallToolResult,
  type ClientCapabilities,
  inputRequired,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { downstreamHandlers } from './downstream-handlers.js';
import type { HeldCalls } from './held-calls.js';

type InputRequests = Parameters<typeof inputRequired>[0]['inputRequests'];

/**
 * A 2026-07-28 downstream `tools/call` through held calls (see createHeldCalls): a first leg
 * starts the call, a retry (with the gateway's `requestState`) continues it; either answers
 * with the result, or with `input_required` when an upstream asked for input meanwhile.
 */
export async function heldToolCall(
  held: HeldCalls,
  ctx: ServerContext,
  capabilities: ClientCapabilities,
  start: (handlers: InteractionHandlers, signal: AbortSignal) => Promise<CallToolResult>,
): Promise<CallToolResult | ReturnType<typeof inputRequired>> {
  const state = ctx.mcpReq.requestState();
  let id: string;
  if (state !== undefined) {
    const resumed = held.resume(state, ctx.mcpReq.inputResponses);
    if (resumed === 'forged') {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        'requestState was not issued by this gateway (or it restarted since): call the tool again without it',
      );
    }
    if (resumed === 'ended') {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        'the call this requestState continues has ended (cancelled, or its input came too late): call the tool again without it',
      );
    }
    id = resumed;
  } else {
    const begun = held.begin((ask, signal) => start(downstreamHandlers(capabilities, ask), signal));
    if (begun === undefined) {
      return {
        content: [
          {
            type: 'text',
            text: 'the gateway holds too many calls waiting for input already; retry later',
          },
        ],
        isError: true,
      };
    }
    id = begun;
  }
  const round = await held.next<CallToolResult>(id, ctx.mcpReq.signal);
  if (round.kind === 'done') return round.result;
  return inputRequired({
    inputRequests: round.inputRequests as unknown as InputRequests,
    requestState: round.requestState,
  });
}
