import { InvalidOptionError } from '@mcpmx/core';
import { dynamicTool, type JSONSchema7, jsonSchema, type ToolSet } from 'ai';
import type { CallToolResult, McpTool, ToolClient } from './mcp-types.js';
import { providerToolNames } from './provider-tool-names.js';
import { toModelOutput } from './tool-output.js';

/** Options of createAiSdkTools. */
export interface AiSdkToolsOptions {
  /** Timeout of each tool call; default the server's `timeoutMs`, else the client's. */
  timeoutMs?: number;
}

/** The client's catalog as AI SDK tools. */
export interface AiSdkTools {
  /**
   * The catalog as it is now, as a ToolSet keyed by provider-safe names (see `toolKey`): the
   * same object until the catalog changes, then a new one. Call it for each `generateText` or
   * `streamText` call, so the agent sees servers and tools that joined or left.
   */
  tools(): ToolSet;
  /** The ToolSet key of a federated tool name, or undefined when the catalog has no such tool. */
  toolKey(federatedName: string): string | undefined;
  /** The federated tool name behind a ToolSet key, or undefined. */
  federatedName(key: string): string | undefined;
}

interface Built {
  source: readonly McpTool[];
  set: ToolSet;
  keyOf: Map<string, string>;
  nameOf: Map<string, string>;
}

/**
 * The tools of a MultiServerClient for the Vercel AI SDK. Each tool's input schema is the MCP
 * tool's JSON Schema through `jsonSchema()`; `execute` is `client.callTool` with the step's
 * `abortSignal`, so routing, retries, failover and cancellation are the client's; the result
 * reaches the model as `toModelOutput` maps it (isError results as `error-text`).
 */
export function createAiSdkTools(client: ToolClient, options: AiSdkToolsOptions = {}): AiSdkTools {
  if (typeof client?.listTools !== 'function' || typeof client.callTool !== 'function') {
    throw new InvalidOptionError('client', 'a MultiServerClient (listTools, callTool)', client);
  }
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new InvalidOptionError('timeoutMs', 'a positive number of milliseconds', timeoutMs);
  }
  let built: Built | undefined;

  const current = (): Built => {
    const source = client.listTools();
    // The client hands out the same array until its catalog is rebuilt.
    if (built?.source === source) return built;
    const keyOf = providerToolNames(source.map((tool) => tool.name));
    const nameOf = new Map<string, string>();
    const set: ToolSet = {};
    for (const tool of source) {
      const key = keyOf.get(tool.name) ?? tool.name;
      nameOf.set(key, tool.name);
      set[key] = toAiSdkTool(client, tool, timeoutMs);
    }
    built = { source, set, keyOf, nameOf };
    return built;
  };

  return {
    tools: () => current().set,
    toolKey: (federatedName) => current().keyOf.get(federatedName),
    federatedName: (key) => current().nameOf.get(key),
  };
}

function toAiSdkTool(client: ToolClient, tool: McpTool, timeoutMs: number | undefined) {
  const name = tool.name;
  return dynamicTool({
    ...(tool.title === undefined ? {} : { title: tool.title }),
    description: tool.description ?? tool.title ?? name,
    inputSchema: jsonSchema(tool.inputSchema as JSONSchema7),
    execute: (input, { abortSignal }) =>
      client.callTool(name, (input ?? {}) as Record<string, unknown>, {
        ...(abortSignal === undefined ? {} : { signal: abortSignal }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      }),
    toModelOutput: ({ output }) => toModelOutput(output as CallToolResult),
  });
}
