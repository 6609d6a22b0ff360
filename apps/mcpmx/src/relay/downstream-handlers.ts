import type { InteractionContext, InteractionHandlers } from '@mcpmx/client';
import type {
  CreateMessageResult,
  ElicitRequestFormParams,
  ElicitRequestURLParams,
  Server,
  ServerContext,
} from '@modelcontextprotocol/server';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';

/**
 * The SDK's own per-request timeout on the relayed request is this long; the wait is really
 * bounded by the client's interactionTimeoutMs (default 600 s), whose expiry aborts the
 * handler's signal, and by the downstream call's own cancellation.
 */
const RELAY_TIMEOUT_MS = 24 * 60 * 60 * 1000;

const unsupported = (what: string, context: InteractionContext) =>
  new ProtocolError(
    ProtocolErrorCode.MethodNotFound,
    `${context.server} asked for ${what}, which the downstream client that made this call does not support`,
  );

/**
 * The per-call handlers (CallOptions.handlers) of a downstream request the gateway forwards:
 * an upstream's elicitation, sampling or roots request during that call is sent to the
 * downstream client that made it, as a request related to the call (so over its stream), and
 * its answer goes back upstream. The handler's signal (the upstream cancelled, the call ended,
 * the wait timed out) cancels the downstream request. A downstream client without the
 * capability gets nothing: elicitation is declined, sampling and roots are answered
 * "method not found".
 */
export function downstreamHandlers(server: Server, ctx: ServerContext): InteractionHandlers {
  const capabilities = server.getClientCapabilities() ?? {};
  const options = (context: InteractionContext) => ({
    signal: context.signal,
    timeout: RELAY_TIMEOUT_MS,
  });
  return {
    async onElicitation(request, context) {
      // `elicitation: {}` is form mode (before modes were declared); url mode must be declared.
      const { elicitation } = capabilities;
      const able =
        request.mode === 'url'
          ? elicitation?.url !== undefined
          : elicitation !== undefined && (elicitation.form !== undefined || !elicitation.url);
      if (!able) return { action: 'decline' };
      return await ctx.mcpReq.elicitInput(
        request as ElicitRequestFormParams | ElicitRequestURLParams,
        options(context),
      );
    },
    async onSampling(request, context) {
      if (!capabilities.sampling) throw unsupported('sampling', context);
      return (await ctx.mcpReq.requestSampling(request, options(context))) as CreateMessageResult;
    },
    async roots(context) {
      if (!capabilities.roots) throw unsupported('roots', context);
      const result = await ctx.mcpReq.send({ method: 'roots/list' }, options(context));
      return result.roots;
    },
  };
}
