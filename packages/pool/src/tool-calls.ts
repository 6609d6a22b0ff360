import type { CallToolResult } from '@mcpmx/core';
import { type Client, specTypeSchemas } from '@modelcontextprotocol/client';
import type { SdkOptions } from './sdk-operations.js';

type CallParams = Parameters<Client['callTool']>[0];
type ListParams = Parameters<Client['listTools']>[0];
type ListResult = Awaited<ReturnType<Client['listTools']>>;
type StandardResult<T> = { value: T; issues?: undefined } | { issues: { message: string }[] };

/**
 * Result keys of other request families (tasks, 2026-07-28 input rounds): a body that carries
 * one and no `content` is not a tool result, so it is refused rather than read as an empty one.
 * The SDK's own 2025-11-25 result check draws the same line.
 */
const FOREIGN_KEYS = ['task', 'inputRequests', 'requestState'] as const;
const { validate } = specTypeSchemas.CallToolResult['~standard'];

/**
 * The result schema a plain tool call is checked with: the SDK's own `CallToolResult` schema,
 * which a well-formed result matches on the first parse.
 */
const TOOL_RESULT = {
  '~standard': {
    version: 1 as const,
    vendor: 'mcpmx',
    validate(value: unknown): StandardResult<CallToolResult> {
      if (typeof value === 'object' && value !== null && !('content' in value)) {
        const foreign = FOREIGN_KEYS.find((key) => key in value);
        if (foreign !== undefined) {
          return {
            issues: [{ message: `content is required when the result carries '${foreign}'` }],
          };
        }
      }
      return validate(value) as StandardResult<CallToolResult>;
    },
  },
};

/**
 * `tools/call` and `tools/list` for one session, with the call made the cheap way where that
 * changes nothing.
 *
 * The SDK's `callTool` probes its result validator on every call (it parses `undefined`
 * against the result schema and formats the failure) and looks the tool up in its response
 * cache for an output schema to check. For a tool this session listed with no `outputSchema`
 * (and, on 2026-07-28, no `x-mcp-header` parameters for the SDK to mirror into headers) that
 * lookup finds nothing to do, so the call goes through the SDK's public `request()` with an
 * explicit result schema instead. Any other tool, or one this session has not listed, goes
 * through `callTool` as before. `pnpm bench` (call-overhead) measures the difference.
 */
export function toolCalls(client: Client, modern: boolean) {
  /** Names of tools this session listed that `callTool` would do nothing more for. */
  const plain = new Set<string>();

  const learn = (result: ListResult, wholeList: boolean) => {
    if (wholeList) plain.clear();
    for (const tool of result.tools) {
      const extra =
        tool.outputSchema !== undefined ||
        (modern && JSON.stringify(tool.inputSchema ?? {}).includes('"x-mcp-header"'));
      if (extra) plain.delete(tool.name);
      else plain.add(tool.name);
    }
  };

  return {
    callTool: (params: CallParams, options: SdkOptions) =>
      (plain.has(params.name)
        ? client.request({ method: 'tools/call', params }, TOOL_RESULT, options)
        : client.callTool(params, options)) as Promise<CallToolResult>,
    listTools: async (params: ListParams, options: SdkOptions) => {
      const result = await client.listTools(params, options);
      learn(result, params?.cursor === undefined);
      return result;
    },
    /** The tools changed: until they are listed again, every call takes the SDK's own path. */
    forget: () => plain.clear(),
  };
}
