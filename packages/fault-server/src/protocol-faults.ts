import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { FaultGate } from './fault-gate.js';

/** The kinds of broken output `malformed` writes. */
export const MALFORMED_KINDS = [
  'invalid-json',
  'not-jsonrpc',
  'unknown-id',
  'wrong-shape',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/**
 * The raw text `malformed` puts on the wire, without a trailing newline:
 * - `invalid-json`: a line that does not parse as JSON;
 * - `not-jsonrpc`: a JSON object that is not a JSON-RPC message;
 * - `unknown-id`: a well-formed response to a request id nobody sent;
 * - `wrong-shape`: the response to this very request, with a result that is not a
 *   CallToolResult (`content` is a string, not an array).
 */
export function malformedPayload(kind: MalformedKind, requestId: string | number): string {
  switch (kind) {
    case 'invalid-json':
      return '{"jsonrpc":"2.0","id":';
    case 'not-jsonrpc':
      return JSON.stringify({ hello: 'this is JSON, not JSON-RPC' });
    case 'unknown-id':
      return JSON.stringify({ jsonrpc: '2.0', id: 'no-such-request-4711', result: {} });
    case 'wrong-shape':
      return JSON.stringify({
        jsonrpc: '2.0',
        id: requestId,
        result: { resultType: 'complete', content: 'not an array' },
      });
  }
}

/** Resolves never; rejects with the signal's reason once the request is cancelled. */
export const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

export interface ProtocolFaultContext {
  prefix: string;
  executed: (tool: string) => void;
  writeRaw?: (text: string) => void;
  gate?: FaultGate;
}

/**
 * Faults below the tool layer, on command:
 * - `hang`: never answers (until the client cancels). `all: true` also closes the process-wide
 *   gate: from then on the server answers nothing at all, pings and new sessions included.
 * - `malformed { kind }`: writes malformed JSON-RPC straight to the transport (see
 *   malformedPayload). For `wrong-shape` that line is the only answer the call gets; for the
 *   other kinds the call then answers normally, so a client can show it survived the garbage.
 * - `flood { count, kind }`: sends `count` notifications as fast as it can: `log`
 *   (notifications/message) or `progress` (needs a progress token), then answers.
 */
export function registerProtocolFaults(server: McpServer, context: ProtocolFaultContext): void {
  const { prefix, executed } = context;

  server.registerTool(
    `${prefix}hang`,
    {
      description: 'Never answers. all: true makes the whole server stop answering.',
      inputSchema: z.object({ all: z.boolean().optional() }),
      annotations: { readOnlyHint: true },
    },
    async ({ all }, ctx) => {
      executed('hang');
      if (all) {
        if (!context.gate) throw new Error('hang { all: true } is not wired on this transport');
        context.gate.hangAll();
      }
      return untilAborted(ctx.mcpReq.signal);
    },
  );

  server.registerTool(
    `${prefix}malformed`,
    {
      description: `Writes malformed JSON-RPC to the transport; kind: ${MALFORMED_KINDS.join(', ')}.`,
      inputSchema: z.object({ kind: z.enum(MALFORMED_KINDS) }),
      annotations: { readOnlyHint: true },
    },
    async ({ kind }, ctx) => {
      executed('malformed');
      if (!context.writeRaw) {
        return {
          content: [{ type: 'text' as const, text: 'malformed: no raw writer on this transport' }],
          isError: true,
        };
      }
      context.writeRaw(malformedPayload(kind, ctx.mcpReq.id));
      if (kind === 'wrong-shape') return untilAborted(ctx.mcpReq.signal);
      return { content: [{ type: 'text' as const, text: `wrote ${kind}` }] };
    },
  );

  server.registerTool(
    `${prefix}flood`,
    {
      description: 'Sends count notifications as fast as possible: log or progress.',
      inputSchema: z.object({
        count: z.number().int().min(0).max(1_000_000),
        kind: z.enum(['log', 'progress']).optional(),
      }),
      annotations: { readOnlyHint: true },
    },
    async ({ count, kind = 'log' }, ctx) => {
      executed('flood');
      const token = ctx.mcpReq._meta?.progressToken;
      if (kind === 'progress' && token === undefined) {
        throw new Error('flood { kind: "progress" } needs a progress token (pass onProgress)');
      }
      // One after another: each send waits for the transport, so a full pipe slows the flood
      // down instead of piling up a listener per pending write.
      for (let index = 1; index <= count; index++) {
        await (kind === 'progress'
          ? ctx.mcpReq.notify({
              method: 'notifications/progress',
              params: { progressToken: token as string | number, progress: index, total: count },
            })
          : ctx.mcpReq.notify({
              method: 'notifications/message',
              params: { level: 'info', logger: 'flood', data: `flood ${index}/${count}` },
            }));
      }
      return { content: [{ type: 'text' as const, text: `sent ${count} ${kind} notifications` }] };
    },
  );
}
