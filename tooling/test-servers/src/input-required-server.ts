import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  acceptedContent,
  createMcpHandler,
  inputRequired,
  McpServer,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import { fetchListener } from './http-adapter.js';

/** A real 2026-07-28 MCP server whose tools answer `input_required` before they complete. */
export interface InputRequiredServer {
  /** `http://127.0.0.1:<port>/mcp`. */
  url: string;
  /** Its name, stamped into its requestState and its answers. */
  name: string;
  /**
   * Legs of tool calls, resource reads and prompt gets received (each `input_required` round
   * and the final one).
   */
  readonly legs: number;
  /** Retries whose requestState was minted by another server: a replay to the wrong replica. */
  readonly foreignStates: number;
  /** Publishes `notifications/resources/updated` for `mrtr://status` to its listen streams. */
  touch(): void;
  close(): Promise<void>;
}

const STATUS_URI = 'mrtr://status';
const VAULT_URI = 'mrtr://vault';

const confirmation = z.object({
  confirm: z.boolean(),
  note: z.string().default('no note'),
});

/**
 * Starts, in this process, an SDK v2 server over Streamable HTTP (stateless, 2026-07-28 per
 * request, the SDK's legacy fallback for 2025-11-25) on a free loopback port, with:
 * - `deploy {env}`: asks for an elicitation (`confirm`, and `note` whose default SEP-1034 fills
 *   in), carrying a requestState that names this server; completes with the answer;
 * - `where-am-i`: asks for roots, then answers with their URIs;
 * - `think {prompt}`: asks for a sampling/createMessage, then answers with the model's text;
 * - `loop`: asks for input forever (the client's round limit ends it);
 * - the resource `mrtr://vault`: its read asks for an elicitation (`confirm`, `note`) first,
 *   then answers `<name> vault opened (<note>)`;
 * - the prompt `briefing {topic}`: asks for a sampling/createMessage first, then answers one
 *   user message `briefing on <topic> by <name>: <the model's text>`;
 * - the resource `mrtr://status`, subscribable through `subscriptions/listen` (`touch()`).
 */
export async function startInputRequiredServer(name = 'mrtr'): Promise<InputRequiredServer> {
  let legs = 0;
  let foreignStates = 0;
  const stateOf = (round: string) => `${name}:${round}`;
  const checkState = (state: unknown) => {
    if (typeof state === 'string' && !state.startsWith(`${name}:`)) foreignStates++;
  };
  /** The first leg's answer: a form elicitation for `confirmation`, and this round's state. */
  const askToConfirm = (message: string, round: string) =>
    inputRequired({
      inputRequests: { confirm: inputRequired.elicit({ message, requestedSchema: confirmation }) },
      requestState: stateOf(round),
    });
  const build = () => {
    const server = new McpServer(
      { name, version: '1.0.0' },
      { capabilities: { resources: { subscribe: true } } },
    );
    server.registerResource('status', STATUS_URI, { mimeType: 'text/plain' }, async () => ({
      contents: [{ uri: STATUS_URI, text: `${name} is fine` }],
    }));
    server.registerResource('vault', VAULT_URI, { mimeType: 'text/plain' }, async (_uri, ctx) => {
      legs++;
      checkState(ctx.mcpReq.requestState());
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', confirmation);
      if (answer === undefined) return askToConfirm('Open the vault?', 'vault');
      const text = answer.confirm ? `${name} vault opened` : `${name} vault stays shut`;
      return { contents: [{ uri: VAULT_URI, text: `${text} (${answer.note})` }] };
    });
    server.registerPrompt(
      'briefing',
      { description: 'A briefing the model writes.', argsSchema: z.object({ topic: z.string() }) },
      async ({ topic }, ctx) => {
        legs++;
        checkState(ctx.mcpReq.requestState());
        const sampled = ctx.mcpReq.inputResponses?.model as
          | { content?: { type?: string; text?: string } }
          | undefined;
        if (sampled?.content === undefined) {
          return inputRequired({
            inputRequests: {
              model: inputRequired.createMessage({
                messages: [
                  { role: 'user', content: { type: 'text', text: `brief me on ${topic}` } },
                ],
                maxTokens: 100,
              }),
            },
            requestState: stateOf('briefing'),
          });
        }
        const text = `briefing on ${topic} by ${name}: ${sampled.content.text}`;
        return { messages: [{ role: 'user', content: { type: 'text', text } }] };
      },
    );
    server.registerTool(
      'deploy',
      { description: 'Deploys after a confirmation.', inputSchema: z.object({ env: z.string() }) },
      async ({ env }, ctx) => {
        legs++;
        checkState(ctx.mcpReq.requestState());
        const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', confirmation);
        if (answer === undefined) return askToConfirm(`Deploy to ${env}?`, 'confirm');
        const verdict = answer.confirm ? `deployed to ${env}` : `not deployed to ${env}`;
        return { content: [{ type: 'text', text: `${verdict} by ${name} (${answer.note})` }] };
      },
    );
    server.registerTool('where-am-i', { description: 'Lists the roots.' }, async (ctx) => {
      legs++;
      const roots = ctx.mcpReq.inputResponses?.roots as { roots?: { uri: string }[] } | undefined;
      if (roots?.roots === undefined) {
        return inputRequired({
          inputRequests: { roots: inputRequired.listRoots() },
          requestState: stateOf('roots'),
        });
      }
      return { content: [{ type: 'text', text: roots.roots.map((root) => root.uri).join(',') }] };
    });
    server.registerTool(
      'think',
      { description: 'Asks the model.', inputSchema: z.object({ prompt: z.string() }) },
      async ({ prompt }, ctx) => {
        legs++;
        const sampled = ctx.mcpReq.inputResponses?.model as
          | { content?: { type?: string; text?: string } }
          | undefined;
        if (sampled?.content === undefined) {
          return inputRequired({
            inputRequests: {
              model: inputRequired.createMessage({
                messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
                maxTokens: 100,
              }),
            },
            requestState: stateOf('think'),
          });
        }
        return { content: [{ type: 'text', text: `model said: ${sampled.content.text}` }] };
      },
    );
    server.registerTool('loop', { description: 'Never satisfied.' }, async () => {
      legs++;
      return inputRequired({
        inputRequests: { again: inputRequired.listRoots() },
        requestState: stateOf('loop'),
      });
    });
    return server;
  };
  const handler = createMcpHandler(build);
  const http = createServer(fetchListener(handler.fetch));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    name,
    get legs() {
      return legs;
    },
    get foreignStates() {
      return foreignStates;
    },
    touch: () => handler.notify.resourceUpdated(STATUS_URI),
    close: async () => {
      await handler.close?.();
      await new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      });
    },
  };
}
