import { McpServer } from '@modelcontextprotocol/server';
import {
  registerConformancePrompts,
  registerConformanceResources,
} from './conformance-resources.js';
import { registerConformanceTools } from './conformance-tools.js';

/**
 * An MCP server (SDK v2) with every tool, resource and prompt that the server scenarios of
 * `@modelcontextprotocol/conformance` call. One instance serves one session.
 */
export function createConformanceServer(): McpServer {
  const server = new McpServer(
    { name: 'mcpmx-conformance-server', version: '1.0.0' },
    {
      capabilities: {
        tools: {},
        resources: { subscribe: true },
        prompts: {},
        logging: {},
        completions: {},
      },
    },
  );
  registerConformanceTools(server);
  registerConformanceResources(server);
  registerConformancePrompts(server);
  return server;
}
