import { ToolMessage } from '@langchain/core/messages';
import { DynamicStructuredTool } from '@langchain/core/tools';
import type { MultiServerClient } from '@mcpmx/client';
import { InvalidOptionError, RemoteError } from '@mcpmx/core';
import { type CallToolResult, toText, toToolContent } from './tool-content.js';

type McpTool = ReturnType<MultiServerClient['listTools']>[number];
type ToolClient = Pick<MultiServerClient, 'listTools' | 'callTool'>;

/** Options of createLangChainTools. */
export interface LangChainToolsOptions {
  /** Timeout of each tool call; default the server's `timeoutMs`, else the client's. */
  timeoutMs?: number;
}

/** The client's catalog as LangChain tools. */
export interface LangChainTools {
  /**
   * The catalog as it is now, one structured tool per federated tool: the same array while the
   * catalog is unchanged, a new one after a server or tool joined or left. Build an agent with
   * it per run (or again on `catalog-changed`) to follow the catalog.
   */
  tools(): DynamicStructuredTool[];
}

/**
 * The tools of a MultiServerClient for LangChain and LangGraph: each a DynamicStructuredTool
 * with the MCP tool's JSON Schema as its schema, calling `client.callTool` with the run's
 * `signal`, and answering with `content_and_artifact`: the content for the model, the MCP
 * result as the artifact. An `isError` result, called as a tool call, is a ToolMessage with
 * `status: 'error'`; called with plain arguments, it throws a RemoteError.
 */
export function createLangChainTools(
  client: ToolClient,
  options: LangChainToolsOptions = {},
): LangChainTools {
  if (typeof client?.listTools !== 'function' || typeof client.callTool !== 'function') {
    throw new InvalidOptionError('client', 'a MultiServerClient (listTools, callTool)', client);
  }
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new InvalidOptionError('timeoutMs', 'a positive number of milliseconds', timeoutMs);
  }
  let built: { source: readonly McpTool[]; tools: DynamicStructuredTool[] } | undefined;
  return {
    tools: () => {
      const source = client.listTools();
      // The client hands out the same array until its catalog is rebuilt.
      if (built?.source !== source) {
        built = { source, tools: source.map((tool) => toLangChainTool(client, tool, timeoutMs)) };
      }
      return built.tools;
    },
  };
}

function toLangChainTool(
  client: ToolClient,
  tool: McpTool,
  timeoutMs: number | undefined,
): DynamicStructuredTool {
  const name = tool.name;
  return new DynamicStructuredTool({
    name,
    description: tool.description ?? tool.title ?? name,
    schema: tool.inputSchema,
    responseFormat: 'content_and_artifact',
    metadata: { mcpmx: { annotations: tool.annotations ?? {} } },
    func: async (input: Record<string, unknown>, _runManager, config) => {
      const result: CallToolResult = await client.callTool(name, input ?? {}, {
        ...(config?.signal === undefined ? {} : { signal: config.signal }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
      if (result.isError !== true) return [toToolContent(result), result];
      const message = toText(result) || 'the tool reported an error';
      const toolCallId = (config as { toolCall?: { id?: string } } | undefined)?.toolCall?.id;
      if (toolCallId === undefined) {
        throw new RemoteError(`tool "${name}" reported an error: ${message}`, { data: result });
      }
      const error = new ToolMessage({
        status: 'error',
        content: toToolContent(result) || message,
        artifact: result,
        tool_call_id: toolCallId,
        name,
      });
      return [error, result];
    },
  });
}
