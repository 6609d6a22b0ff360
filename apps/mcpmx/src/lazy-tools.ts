import type { MultiServerClient } from '@mcpmx/client';
import { InvalidOptionError, type ToolDescriptor } from '@mcpmx/core';
import type { CallToolResult } from '@modelcontextprotocol/server';

/** How the gateway lists tools: all of them, or only search and call (plus pinned ones). */
export type ToolMode = 'eager' | 'lazy';

export interface LazyToolsOptions {
  /** Tools listed as they are besides the meta-tools (federated names). */
  pinned?: readonly string[];
}

export const SEARCH_TOOLS = 'search_tools';
export const DESCRIBE_TOOL = 'describe_tool';
export const CALL_TOOL = 'call_tool';
const META_NAMES: readonly string[] = [SEARCH_TOOLS, DESCRIBE_TOOL, CALL_TOOL];

/** A short description: the first sentence, at most this long. */
const SHORT_DESCRIPTION = 160;
const MAX_LIMIT = 50;

const META_TOOLS: readonly ToolDescriptor[] = [
  {
    name: SEARCH_TOOLS,
    title: 'Search tools',
    description:
      'Find the tools for a task among every tool this gateway federates. Describe the task in ' +
      'plain words; returns the best matches with their names, short descriptions and input ' +
      `schemas. Then call one with ${CALL_TOOL}.`,
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'The task, in plain words.' },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: MAX_LIMIT,
          description: 'How many tools to return (default 10).',
        },
      },
      required: ['query'],
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  },
  {
    name: DESCRIBE_TOOL,
    title: 'Describe a tool',
    description: `The whole definition of one tool ${SEARCH_TOOLS} found: description, input and output schemas, annotations.`,
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string', description: 'The tool name.' } },
      required: ['name'],
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  },
  {
    name: CALL_TOOL,
    title: 'Call a tool',
    description: `Call a tool by the name ${SEARCH_TOOLS} gave, with arguments that fit its input schema.`,
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'The tool name.' },
        arguments: { type: 'object', description: 'The arguments, per its input schema.' },
      },
      required: ['name'],
    },
  },
];

/**
 * The gateway's lazy tool mode (`serve --tools lazy`): `tools/list` gives three meta-tools,
 * `search_tools`, `describe_tool` and `call_tool`, plus the pinned tools, so an agent's context
 * holds three definitions instead of hundreds, and it still works with hosts that ignore
 * list_changed. A tool is found and called through the client as in eager mode: the same
 * catalog (filters and overrides applied), the same routing, retries by the called tool's own
 * annotations.
 */
export function createLazyTools(client: MultiServerClient, options: LazyToolsOptions = {}) {
  const pinned = [...(options.pinned ?? [])];
  for (const name of pinned) {
    if (META_NAMES.includes(name)) {
      throw new InvalidOptionError(
        'pinned',
        `tool names other than ${META_NAMES.join(', ')}`,
        name,
      );
    }
  }
  return {
    /** What `tools/list` answers: the meta-tools, then the pinned tools the catalog has. */
    list(visible: Visible = everyTool): ToolDescriptor[] {
      const found = pinned.flatMap((name) => (visible(name) && listedTool(client, name)) || []);
      return [...META_TOOLS, ...found];
    },
    /** Whether `name` is one of the meta-tools. */
    isMeta: (name: string) => META_NAMES.includes(name),
    /**
     * Runs a meta-tool; `callTool` is how the gateway calls a federated tool (with the
     * downstream request's signal, progress and relays). `visible` says which tools the caller
     * may see: search and describe know no others.
     */
    async run<Result>(
      name: string,
      args: Record<string, unknown> | undefined,
      callTool: (name: string, args: Record<string, unknown> | undefined) => Promise<Result>,
      visible: Visible = everyTool,
    ): Promise<Result | CallToolResult> {
      const input = args ?? {};
      if (name === SEARCH_TOOLS) {
        const { query, limit } = input;
        if (typeof query !== 'string' || query.trim() === '') {
          return toolError(`${SEARCH_TOOLS} needs "query": the task, in plain words`);
        }
        if (
          limit !== undefined &&
          !(Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= MAX_LIMIT)
        ) {
          return toolError(`"limit" must be an integer from 1 to ${MAX_LIMIT}`);
        }
        const wanted = (limit as number) ?? 10;
        // Asked for more when some tools are hidden from this caller, then cut to the limit.
        const found = (
          await client.searchTools(query, {
            limit: visible === everyTool ? wanted : Math.min(MAX_LIMIT * 4, wanted * 4),
          })
        )
          .filter(({ name: found }) => visible(found))
          .slice(0, wanted);
        const tools = found.map(({ name: found, tool }) => ({
          name: found,
          description: shortDescription(tool.description),
          inputSchema: tool.inputSchema,
        }));
        return {
          content: [{ type: 'text', text: JSON.stringify({ tools }, null, 2) }],
          structuredContent: { tools },
        };
      }
      if (name === DESCRIBE_TOOL) {
        const wanted = input.name;
        const tool =
          typeof wanted === 'string' && visible(wanted) ? listedTool(client, wanted) : undefined;
        if (!tool) {
          return toolError(
            `no tool named ${JSON.stringify(wanted)}; find one with ${SEARCH_TOOLS}`,
          );
        }
        return {
          content: [{ type: 'text', text: JSON.stringify(tool, null, 2) }],
          structuredContent: { tool },
        };
      }
      const target = input.name;
      if (typeof target !== 'string') return toolError(`${CALL_TOOL} needs "name": a tool name`);
      if (META_NAMES.includes(target)) return toolError(`${CALL_TOOL} calls federated tools only`);
      const toolArgs = input.arguments;
      if (
        toolArgs !== undefined &&
        (typeof toolArgs !== 'object' || toolArgs === null || Array.isArray(toolArgs))
      ) {
        return toolError('"arguments" must be an object');
      }
      return callTool(target, toolArgs as Record<string, unknown> | undefined);
    },
  };
}

export type LazyTools = ReturnType<typeof createLazyTools>;

/** Whether the caller may see a federated tool. */
type Visible = (name: string) => boolean;
const everyTool: Visible = () => true;

/** A tool as `tools/list` lists it (under its federated name), by that name; one lookup. */
function listedTool(client: MultiServerClient, name: string): ToolDescriptor | undefined {
  const entry = client.catalog().resolveTool(name);
  return entry && { ...entry.item, name: entry.federatedName };
}

function shortDescription(description: string | undefined): string {
  if (!description) return '';
  const sentence = /^[\s\S]*?[.!?](\s|$)/.exec(description)?.[0]?.trim() ?? description;
  return sentence.length > SHORT_DESCRIPTION
    ? `${sentence.slice(0, SHORT_DESCRIPTION - 1)}…`
    : sentence;
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
