import type { MultiServerClient } from '@mcpmx/client';
import { McpmxError } from '@mcpmx/core';
import { Server } from '@modelcontextprotocol/server';

/**
 * One MCP server that federates every server the client knows: its tools, resources,
 * templates and prompts are the client's catalog, and each request is routed by the client.
 * Cancellation and progress pass through; the catalog's changes are announced as list_changed.
 * Returns the server and a function that detaches it from the client.
 */
export function createGatewayServer(
  client: MultiServerClient,
  options: { info?: { name: string; version: string }; announceChanges?: boolean } = {},
): { server: Server; detach: () => void } {
  const info = options.info ?? { name: 'mcpmx', version: '0.0.0' };
  const server = new Server(info, {
    capabilities: {
      tools: { listChanged: true },
      resources: { listChanged: true },
      prompts: { listChanged: true },
      completions: {},
    },
  });

  // Lists carry the upstream servers' combined caching hint (2026-07-28), when all gave one.
  server.setRequestHandler('tools/list', async () => ({
    tools: [...client.listTools()],
    ...client.listCacheHint('tools'),
  }));
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const token = request.params._meta?.progressToken;
    try {
      return await client.callTool(request.params.name, request.params.arguments, {
        signal: ctx.mcpReq.signal,
        onProgress:
          token === undefined
            ? undefined
            : (progress) =>
                void ctx.mcpReq
                  .notify({
                    method: 'notifications/progress',
                    params: { progressToken: token, ...progress },
                  })
                  .catch(() => undefined),
      });
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
      await client.readResource(request.params.uri, { signal: ctx.mcpReq.signal }),
  );
  server.setRequestHandler('prompts/list', async () => ({
    prompts: [...client.listPrompts()],
    ...client.listCacheHint('prompts'),
  }));
  server.setRequestHandler(
    'prompts/get',
    async (request, ctx) =>
      await client.getPrompt(request.params.name, request.params.arguments, {
        signal: ctx.mcpReq.signal,
      }),
  );
  server.setRequestHandler(
    'completion/complete',
    async (request, ctx) =>
      await client.complete(request.params as Record<string, unknown>, {
        signal: ctx.mcpReq.signal,
      }),
  );

  if (options.announceChanges === false) return { server, detach: () => undefined };
  const detach = client.on('catalog-changed', () => {
    void server.sendToolListChanged().catch(() => undefined);
    void server.sendResourceListChanged().catch(() => undefined);
    void server.sendPromptListChanged().catch(() => undefined);
  });
  return { server, detach };
}
