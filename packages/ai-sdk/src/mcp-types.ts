import type { MultiServerClient } from '@mcpmx/client';

// The MCP types this package reads, as @mcpmx/client's public API gives them: no direct
// dependency on the MCP SDK.

/** A federated tool, as `client.listTools()` lists it. */
export type McpTool = ReturnType<MultiServerClient['listTools']>[number];
/** A tool result, as `client.callTool()` resolves it. */
export type CallToolResult = Awaited<ReturnType<MultiServerClient['callTool']>>;

/** The part of MultiServerClient the adapter uses. */
export type ToolClient = Pick<MultiServerClient, 'listTools' | 'callTool'>;
