import { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';

type RootsOutcome = { roots: string[] } | { error: string };

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

/**
 * An SDK v2 server (2025-11-25) that asks its client the way the SDK's shortcuts do: unrelated
 * to the call (`ctx.mcpReq.elicitInput`, `ctx.mcpReq.requestSampling`, `server.listRoots()`),
 * so over Streamable HTTP they travel on the session's standalone GET stream, not on the
 * call's response stream. One instance per session (stdio: per process), with:
 * - `ask-name`: elicits a `name`, answers `Hello, <name>` (or `no name: <action>`);
 * - `ask-model {prompt}`: samples, answers `model said: <text>`;
 * - `ask-roots`: lists roots during the call, answers their URIs, comma-separated;
 * - `wait-for-roots-change`: ends once the client sends `notifications/roots/list_changed`
 *   (or at once, if one came that no earlier call of it took),
 *   on which the server also asks for roots, outside any call (as server-filesystem does),
 *   sending that request before this call's answer;
 * - `roots-seen`: what that out-of-call roots request got: `{"roots":[uris]}` or `{"error"}`.
 */
export function createPushRequestsServer(): McpServer {
  const server = new McpServer(
    { name: 'push-requests', version: '1.0.0' },
    { capabilities: { tools: {} } },
  );
  const waiting: (() => void)[] = [];
  /** Changes heard and not yet taken by a wait-for-roots-change call. */
  let untaken = 0;
  let seen: Promise<RootsOutcome> | undefined;

  server.server.setNotificationHandler('notifications/roots/list_changed', () => {
    seen = server.server.listRoots().then(
      (result) => ({ roots: result.roots.map((root) => root.uri) }),
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
    );
    // The roots request goes out first; the waiting call ends after it.
    setImmediate(() => {
      const wake = waiting.shift();
      if (wake) wake();
      else untaken++;
    });
  });

  server.registerTool('ask-name', { description: 'Asks the user for a name.' }, async (ctx) => {
    const answer = await ctx.mcpReq.elicitInput({
      mode: 'form',
      message: 'What is your name?',
      requestedSchema: {
        type: 'object',
        properties: { name: { type: 'string' } },
        required: ['name'],
      },
    });
    const name = answer.content?.name;
    return text(
      answer.action === 'accept' ? `Hello, ${String(name)}` : `no name: ${answer.action}`,
    );
  });
  server.registerTool(
    'ask-model',
    { description: 'Asks the model.', inputSchema: z.object({ prompt: z.string() }) },
    async ({ prompt }, ctx) => {
      const sampled = await ctx.mcpReq.requestSampling({
        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
        maxTokens: 50,
      });
      const content = sampled.content as { type?: string; text?: string };
      return text(`model said: ${content.text ?? ''}`);
    },
  );
  server.registerTool('ask-roots', { description: 'Lists the roots.' }, async () => {
    const { roots } = await server.server.listRoots();
    return text(roots.map((root) => root.uri).join(','));
  });
  server.registerTool(
    'wait-for-roots-change',
    { description: 'Ends when the client says its roots changed.' },
    async () => {
      // A change that came before this call's handler ran counts as the one it waits for.
      if (untaken > 0) untaken--;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      return text('roots changed');
    },
  );
  server.registerTool('roots-seen', { description: 'The out-of-call roots answer.' }, async () =>
    text(seen === undefined ? 'nothing asked' : JSON.stringify(await seen)),
  );
  return server;
}
