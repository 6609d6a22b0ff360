import type { InteractionContext, InteractionHandlers } from '@mcpmx/client';
import type {
  ClientCapabilities,
  CreateMessageResult,
  ElicitRequestFormParams,
  ElicitRequestURLParams,
  ElicitResult,
  ServerContext,
} from '@modelcontextprotocol/server';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { AskDownstream } from './held-calls.js';

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
 * 2025-11-25: a server-to-client request related to the downstream request being served (so,
 * over HTTP, on its response stream), cancelled when the handler's signal aborts.
 */
export function askOnSession(ctx: ServerContext): AskDownstream {
  return async (request, context) => {
    const options = { signal: context.signal, timeout: RELAY_TIMEOUT_MS };
    if (request.method === 'elicitation/create') {
      const params = request.params as unknown as ElicitRequestFormParams | ElicitRequestURLParams;
      return await ctx.mcpReq.elicitInput(params, options);
    }
    if (request.method === 'sampling/createMessage') {
      const params = request.params as Parameters<typeof ctx.mcpReq.requestSampling>[0];
      return await ctx.mcpReq.requestSampling(params, options);
    }
    return await ctx.mcpReq.send({ method: 'roots/list' }, options);
  };
}

/**
 * The per-call handlers (CallOptions.handlers) of a downstream request the gateway forwards:
 * an upstream's elicitation, sampling or roots request during that call is put to the
 * downstream client that made it (`ask`), and its answer goes back upstream. A downstream
 * client without the capability is not asked: elicitation is declined, sampling and roots are
 * answered "method not found".
 */
export function downstreamHandlers(
  capabilities: ClientCapabilities,
  ask: AskDownstream,
): InteractionHandlers {
  return {
    async onElicitation(request, context) {
      // `elicitation: {}` is form mode (before modes were declared); url mode must be declared.
      const { elicitation } = capabilities;
      const able =
        request.mode === 'url'
          ? elicitation?.url !== undefined
          : elicitation !== undefined && (elicitation.form !== undefined || !elicitation.url);
      if (!able) return { action: 'decline' };
      const params = request as unknown as Record<string, unknown>;
      return (await ask({ method: 'elicitation/create', params }, context)) as ElicitResult;
    },
    async onSampling(request, context) {
      if (!capabilities.sampling) throw unsupported('sampling', context);
      const params = request as unknown as Record<string, unknown>;
      return (await ask(
        { method: 'sampling/createMessage', params },
        context,
      )) as CreateMessageResult;
    },
    async roots(context) {
      if (!capabilities.roots) throw unsupported('roots', context);
      const result = (await ask({ method: 'roots/list' }, context)) as { roots?: unknown };
      return Array.isArray(result.roots) ? result.roots : [];
    },
  };
}
