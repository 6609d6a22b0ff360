import { testServers } from './paths.js';

/**
 * The config entry (`mcpServers.<name>`) of the many-tools server over stdio: `tools` tools
 * named `tool_<i>` plus `echo`, and, with `template`, one resource template.
 */
export function manyToolsEntry(options: { tools: number; template?: string }): {
  command: string;
  args: string[];
  env: Record<string, string>;
} {
  return {
    command: process.execPath,
    args: [testServers.manyTools],
    env: {
      MANY_TOOLS: String(options.tools),
      ...(options.template === undefined ? {} : { MANY_TEMPLATE: options.template }),
    },
  };
}
