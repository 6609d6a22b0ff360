import type { CallOptions, InteractionHandlers, MultiServerClient } from '@mcpmx/client';
import { McpmxError } from '@mcpmx/core';
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { type Caller, callerOf } from './identity/caller.js';
import type { GatewayAccess } from './identity/gateway-access.js';
import type { LazyTools } from './lazy-tools.js';
import { askOnSession, downstreamHandlers } from './relay/downstream-handlers.js';
import type { HeldCalls } from './relay/held-calls.js';
import { type HeldMethod, heldRequest, refuseBusy, TOO_MANY_HELD } from './relay/held-request.js';
import { createLogRelay, type LogRelay, type LogSink, tagLogMessage } from './relay/log-relay.js';
import { createResourceSubscriptions } from './relay/resource-subscriptions.js';

export interface GatewayServerOptions {
  info?: { name: string; version: string };
  /**
   * False for a server that serves one request only (2026-07-28 over HTTP): it announces no
   * changes, and holds no subscriptions or log level. Default true: a server with a connection
   * of its own (a stdio client, an HTTP session).
   */
  announceChanges?: boolean;
  /** Where upstream log messages that belong to no call come from (see createLogRelay). */
  logs?: LogRelay;
  /**
   * Calls held across a 2026-07-28 client's input rounds (see createHeldCalls): with it, an
   * upstream's input request during such a client's `tools/call`, `resources/read` or
   * `prompts/get` is passed down as `input_required`. Without it, it is relayed as a 2025-11-25
   * request.
   */
  held?: HeldCalls;
  /**
   * The downstream client's roots are set on the client already (stdio: see
   * createDownstreamRoots), so upstream roots requests are answered from them, not asked of
   * the downstream client per call.
   */
  mirroredRoots?: boolean;
  /**
   * Lazy tool mode (`serve --tools lazy`, see createLazyTools): `tools/list` answers the
   * meta-tools and the pinned tools only; every tool stays callable.
   */
  lazy?: LazyTools;
  /**
   * Per-caller enforcement (`gateway.policy`, private caching, the audit log; see
   * createGatewayAccess), by the caller the HTTP front door verified (`ctx.http.authInfo`).
   */
  access?: GatewayAccess;
}

/**
 * One MCP server that federates every server the client knows: its tools, resources,
 * templates and prompts are the client's catalog, and each request is routed by the client.
 * Cancellation and progress pass through; the catalog's changes are announced as list_changed.
 * An upstream's elicitation, sampling and roots requests during a call go to the downstream
 * client that made it, and the call's log messages too; `logging/setLevel` and resource
 * subscriptions pass through (see the README's "Relays"). Returns the server and a function
 * that detaches it from the client (its subscriptions dropped, its log level forgotten).
 */
export function createGatewayServer(
  client: MultiServerClient,
  options: GatewayServerOptions = {},
): { server: Server; detach: () => void } {
  const info = options.info ?? { name: 'mcpmx', version: '0.0.0' };
  const lasting = options.announceChanges !== false;
  const server = new Server(info, {
    capabilities: {
      tools: { listChanged: true },
      resources: { listChanged: true, ...(lasting ? { subscribe: true } : {}) },
      prompts: { listChanged: true },
      completions: {},
      logging: {},
    },
  });
  const send = (message: Parameters<typeof server.sendLoggingMessage>[0]) =>
    void server
      .notification({ method: 'notifications/message', params: message })
      .catch(() => undefined);
  // Without a relay (a client built without the gateway's onLog), a relay of its own: the
  // session's level filters its calls' messages and is applied upstream as it is.
  const relay =
    options.logs ?? createLogRelay({ applyLevel: (level) => client.setLogLevel(level) });
  const logs: LogSink = relay.join(send);
  const withoutMirroredRoots = (handlers: InteractionHandlers): InteractionHandlers =>
    options.mirroredRoots ? { ...handlers, roots: undefined } : handlers;
  /** What a forwarded request takes from the downstream one: its signal and its relays. */
  const relayed = (ctx: ServerContext): CallOptions => ({
    signal: ctx.mcpReq.signal,
    handlers: withoutMirroredRoots(
      downstreamHandlers(server.getClientCapabilities() ?? {}, askOnSession(ctx)),
    ),
    onLog: (message, context) => {
      if (!logs.accepts(message.level)) return;
      void ctx.mcpReq
        .notify({ method: 'notifications/message', params: tagLogMessage(message, context) })
        .catch(() => undefined);
    },
  });

  /**
   * Forwards one downstream request that an upstream may answer with `input_required`. A
   * 2026-07-28 request (it has an envelope), with held calls, is held across its client's input
   * rounds (see heldRequest); any other is forwarded with its relays. `busy`: the answer when
   * too many are held already.
   */
  const forwarded = async <T>(
    method: HeldMethod,
    ctx: ServerContext,
    run: (callOptions: CallOptions) => Promise<T>,
    busy: () => T = refuseBusy,
  ) => {
    if (!options.held || ctx.mcpReq.envelope === undefined) return await run(relayed(ctx));
    // A per-request server knows its client from the request's envelope.
    const envelope = ctx.mcpReq.envelope as Record<string, unknown>;
    const capabilities =
      server.getClientCapabilities() ??
      (envelope[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ??
      {};
    return await heldRequest(
      options.held,
      method,
      ctx,
      capabilities,
      (handlers, signal) =>
        run({ ...relayed(ctx), handlers: withoutMirroredRoots(handlers), signal }),
      busy,
    );
  };

  server.setRequestHandler('logging/setLevel', async (request) => {
    await logs.setLevel(request.params.level);
    return {};
  });

  // Lists carry the upstream servers' combined caching hint (2026-07-28), when all gave one.
  const { access } = options;
  /** Which federated tools the caller may see (all, without `access`). */
  const visibleTo = (caller: Caller | undefined) =>
    access && ((name: string) => access.visible(caller, name));
  server.setRequestHandler('tools/list', async (_request, ctx) => {
    const caller = callerOf(ctx.http?.authInfo);
    if (options.lazy) return { tools: options.lazy.list(visibleTo(caller)) };
    const tools = access ? access.visibleTools(caller) : [...client.listTools()];
    const hint = client.listCacheHint('tools');
    // A list filtered for its caller is that caller's: no shared cache may keep it.
    return { tools, ...(hint && access ? { ...hint, cacheScope: 'private' as const } : hint) };
  });
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const token = request.params._meta?.progressToken;
    const onProgress =
      token === undefined
        ? undefined
        : (progress: Parameters<NonNullable<CallOptions['onProgress']>>[0]) =>
            void ctx.mcpReq
              .notify({
                method: 'notifications/progress',
                params: { progressToken: token, ...progress },
              })
              .catch(() => undefined);
    const { name: called, arguments: calledArgs } = request.params;
    const caller = callerOf(ctx.http?.authInfo);
    /** One federated tool, for this downstream request's caller (see GatewayAccess.call). */
    const callOne = (name: string, args: Record<string, unknown> | undefined) =>
      access
        ? access.call(caller, name, (partition) => callRelayed(name, args, partition))
        : callRelayed(name, args, {});
    /** One federated tool, called for this downstream request (with its relays). */
    const callRelayed = async (
      name: string,
      args: Record<string, unknown> | undefined,
      partition: { cachePartition?: string },
    ) =>
      await forwarded<CallToolResult>(
        'tools/call',
        ctx,
        (callOptions) => client.callTool(name, args, { ...callOptions, ...partition, onProgress }),
        () => ({ content: [{ type: 'text', text: TOO_MANY_HELD }], isError: true }),
      );
    try {
      const { lazy } = options;
      return lazy?.isMeta(called)
        ? await lazy.run(called, calledArgs, callOne, visibleTo(caller))
        : await callOne(called, calledArgs);
    } catch (error) {
      // A routing failure is a tool error the model can read, not a protocol failure. Its text
      // goes out to a downstream client, so through the redactor (the client's errors already
      // are; this is the gateway's own way out).
      if (McpmxError.isInstance(error) && error.code !== 'MCPMX_CANCELLED') {
        return { content: [{ type: 'text', text: client.redact(error.message) }], isError: true };
      }
      throw error;
    }
  });
  server.setRequestHandler('resources/list', async () => ({
    resources: [...client.listResources()],
    ...client.listCacheHint('resources'),
  }));
  server.setRequestHandler('resources/templates/list', async () => ({
    resourceTemplates: [...client.listResourceTemplates()],
    ...client.listCacheHint('resourceTemplates'),
  }));
  server.setRequestHandler(
    'resources/read',
    async (request, ctx) =>
      await forwarded('resources/read', ctx, (callOptions) =>
        client.readResource(request.params.uri, callOptions),
      ),
  );
  server.setRequestHandler('prompts/list', async () => ({
    prompts: [...client.listPrompts()],
    ...client.listCacheHint('prompts'),
  }));
  server.setRequestHandler(
    'prompts/get',
    async (request, ctx) =>
      await forwarded('prompts/get', ctx, (callOptions) =>
        client.getPrompt(request.params.name, request.params.arguments, callOptions),
      ),
  );
  server.setRequestHandler(
    'completion/complete',
    async (request, ctx) =>
      await client.complete(request.params as Record<string, unknown>, relayed(ctx)),
  );

  if (!lasting) return { server, detach: () => logs.leave() };
  // Updates go to this session only: the one that subscribed.
  const subscriptions = createResourceSubscriptions(
    client,
    (uri) => void server.sendResourceUpdated({ uri }).catch(() => undefined),
  );
  server.setRequestHandler('resources/subscribe', async (request) => {
    await subscriptions.subscribe(request.params.uri);
    return {};
  });
  server.setRequestHandler('resources/unsubscribe', async (request) => {
    await subscriptions.unsubscribe(request.params.uri);
    return {};
  });
  const stopAnnouncing = client.on('catalog-changed', () => {
    void server.sendToolListChanged().catch(() => undefined);
    void server.sendResourceListChanged().catch(() => undefined);
    void server.sendPromptListChanged().catch(() => undefined);
  });
  let detached = false;
  const detach = () => {
    if (detached) return;
    detached = true;
    stopAnnouncing();
    logs.leave();
    void subscriptions.close();
  };
  return { server, detach };
}
