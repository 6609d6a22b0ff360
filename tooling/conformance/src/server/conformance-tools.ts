import type {
  ElicitRequestFormParams,
  McpServer,
  ServerContext,
} from '@modelcontextprotocol/server';
import { fromJsonSchema } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { RED_PIXEL_PNG, SILENT_WAV } from './media.js';

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

/** Resolves after `ms`, or rejects when the call is cancelled. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The schema of `json_schema_2020_12_tool`, whose keywords the listing must keep. */
const JSON_SCHEMA_2020_12 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
  additionalProperties: false,
} as const;

const SEP1034_REQUEST: ElicitRequestFormParams = {
  mode: 'form',
  message: 'Please review your profile (every field has a default).',
  requestedSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Your name', default: 'John Doe' },
      age: { type: 'integer', description: 'Your age', default: 30 },
      score: { type: 'number', description: 'Your score', default: 95.5 },
      status: {
        type: 'string',
        description: 'Account status',
        enum: ['active', 'inactive', 'pending'],
        default: 'active',
      },
      verified: { type: 'boolean', description: 'Verified account', default: true },
    },
  },
};

const SEP1330_REQUEST: ElicitRequestFormParams = {
  mode: 'form',
  message: 'Pick from every kind of enum.',
  requestedSchema: {
    type: 'object',
    properties: {
      untitledSingle: {
        type: 'string',
        description: 'Untitled single-select',
        enum: ['option1', 'option2', 'option3'],
      },
      titledSingle: {
        type: 'string',
        description: 'Titled single-select',
        oneOf: [
          { const: 'value1', title: 'First Option' },
          { const: 'value2', title: 'Second Option' },
          { const: 'value3', title: 'Third Option' },
        ],
      },
      legacyEnum: {
        type: 'string',
        description: 'Legacy titled enum (enumNames)',
        enum: ['opt1', 'opt2', 'opt3'],
        enumNames: ['Option One', 'Option Two', 'Option Three'],
      },
      untitledMulti: {
        type: 'array',
        description: 'Untitled multi-select',
        items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
      },
      titledMulti: {
        type: 'array',
        description: 'Titled multi-select',
        items: {
          anyOf: [
            { const: 'value1', title: 'First Choice' },
            { const: 'value2', title: 'Second Choice' },
            { const: 'value3', title: 'Third Choice' },
          ],
        },
      },
    },
  },
};

/**
 * Asks the client for input and describes its answer, as the elicitation scenarios expect. The
 * request is sent as related to the tool call (`ctx.mcpReq.send`), so over Streamable HTTP it
 * travels on the call's own response stream, as the spec says it SHOULD. (The SDK's
 * `ctx.mcpReq.elicitInput` sends it unrelated, on the session's GET stream.)
 */
async function elicit(ctx: ServerContext, request: ElicitRequestFormParams): Promise<string> {
  const answer = await ctx.mcpReq.send({ method: 'elicitation/create', params: request });
  return `action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
}

/** Registers every `test_*` tool the server scenarios of the conformance suite call. */
export function registerConformanceTools(server: McpServer): void {
  server.registerTool('test_simple_text', { description: 'Returns simple text.' }, async () =>
    text('This is a simple text response for testing.'),
  );

  server.registerTool('test_image_content', { description: 'Returns an image.' }, async () => ({
    content: [{ type: 'image' as const, data: RED_PIXEL_PNG, mimeType: 'image/png' }],
  }));

  server.registerTool('test_audio_content', { description: 'Returns audio.' }, async () => ({
    content: [{ type: 'audio' as const, data: SILENT_WAV, mimeType: 'audio/wav' }],
  }));

  server.registerTool(
    'test_embedded_resource',
    { description: 'Returns an embedded resource.' },
    async () => ({
      content: [
        {
          type: 'resource' as const,
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    }),
  );

  server.registerTool(
    'test_multiple_content_types',
    { description: 'Returns text, an image and a resource.' },
    async () => ({
      content: [
        { type: 'text' as const, text: 'Multiple content types test:' },
        { type: 'image' as const, data: RED_PIXEL_PNG, mimeType: 'image/png' },
        {
          type: 'resource' as const,
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  );

  server.registerTool(
    'test_tool_with_logging',
    { description: 'Sends three info log messages while it runs.' },
    async (ctx) => {
      await ctx.mcpReq.log('info', 'Tool execution started');
      await pause(50, ctx.mcpReq.signal);
      await ctx.mcpReq.log('info', 'Tool processing data');
      await pause(50, ctx.mcpReq.signal);
      await ctx.mcpReq.log('info', 'Tool execution completed');
      return text('Tool with logging executed successfully');
    },
  );

  server.registerTool(
    'test_tool_with_progress',
    { description: 'Reports progress 0, 50 and 100 of 100.' },
    async (ctx) => {
      const token = ctx.mcpReq._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (progress > 0) await pause(50, ctx.mcpReq.signal);
        if (token !== undefined) {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken: token, progress, total: 100 },
          });
        }
      }
      return text('Tool with progress executed successfully');
    },
  );

  server.registerTool('test_error_handling', { description: 'Always fails.' }, async () => {
    throw new Error('This tool intentionally returns an error for testing');
  });

  server.registerTool(
    'test_sampling',
    {
      description: 'Asks the client to sample from its model.',
      inputSchema: z.object({ prompt: z.string() }),
    },
    async ({ prompt }, ctx) => {
      // Related to the call, like the elicitations above.
      const answer = await ctx.mcpReq.send({
        method: 'sampling/createMessage',
        params: {
          messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
          maxTokens: 100,
        },
      });
      const content = Array.isArray(answer.content) ? answer.content[0] : answer.content;
      const reply = content?.type === 'text' ? content.text : JSON.stringify(content);
      return text(`LLM response: ${reply}`);
    },
  );

  server.registerTool(
    'test_elicitation',
    {
      description: 'Asks the client for a username and an email address.',
      inputSchema: z.object({ message: z.string() }),
    },
    async ({ message }, ctx) => {
      const answer = await elicit(ctx, {
        mode: 'form',
        message,
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
      });
      return text(`User response: ${answer}`);
    },
  );

  server.registerTool(
    'test_elicitation_sep1034_defaults',
    { description: 'Elicits a form whose fields all have defaults (SEP-1034).' },
    async (ctx) => text(`Elicitation completed: ${await elicit(ctx, SEP1034_REQUEST)}`),
  );

  server.registerTool(
    'test_elicitation_sep1330_enums',
    { description: 'Elicits a form with every enum variant (SEP-1330).' },
    async (ctx) => text(`Elicitation completed: ${await elicit(ctx, SEP1330_REQUEST)}`),
  );

  server.registerTool(
    'json_schema_2020_12_tool',
    {
      description: 'Tool with JSON Schema 2020-12 features',
      inputSchema: fromJsonSchema(JSON_SCHEMA_2020_12),
    },
    async () => text('JSON Schema 2020-12 tool called'),
  );

  server.registerTool(
    'test_reconnection',
    { description: 'Closes its SSE stream mid-call; the result comes on the resumed stream.' },
    async (ctx) => {
      ctx.http?.closeSSE?.();
      await pause(100, ctx.mcpReq.signal);
      return text('Reconnection test completed');
    },
  );
}
