import { InvalidOptionError } from '@mcpmx/core';
import type { ModelMessage, PrepareStepFunction, ToolSet } from 'ai';
import type { AiSdkTools } from './create-ai-sdk-tools.js';

/**
 * Ranks tools for a query: federated tool names, best first, at most `limit`. The client's
 * `searchTools` fits as `(query, limit) => client.searchTools(query, { limit }).map((hit) => hit.name)`;
 * any other ranking (your own index, an embedding search) works the same.
 */
export type ToolSearch = (query: string, limit: number) => Promise<string[]> | string[];

/** Options of createToolSearchStep. */
export interface ToolSearchStepOptions {
  /** Ranks the tools for a step's query. */
  search: ToolSearch;
  /** How many tools a step gets from the search; default 8. */
  limit?: number;
  /** Federated names every step gets besides the search's; default none. */
  alwaysActive?: readonly string[];
  /**
   * The query for a step; default the text of the last user message. A step whose query is
   * empty gets every tool.
   */
  query?: (step: { messages: ModelMessage[]; stepNumber: number }) => string;
}

export const DEFAULT_TOOL_SEARCH_LIMIT = 8;

/**
 * A `prepareStep` for generateText and streamText that gives each step only the tools the
 * search ranks for its query (`activeTools`), plus `alwaysActive`: the model reads a handful of
 * tool definitions, not the whole catalog. Names the catalog no longer has are left out.
 */
export function createToolSearchStep(
  tools: AiSdkTools,
  options: ToolSearchStepOptions,
): PrepareStepFunction<ToolSet> {
  if (typeof options?.search !== 'function') {
    throw new InvalidOptionError(
      'search',
      'a function (query, limit) => tool names',
      options?.search,
    );
  }
  const limit = options.limit ?? DEFAULT_TOOL_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidOptionError('limit', 'an integer >= 1', limit);
  }
  const alwaysActive = options.alwaysActive ?? [];
  const query = options.query ?? lastUserText;
  return async ({ messages, stepNumber }) => {
    const text = query({ messages, stepNumber }).trim();
    if (text === '') return {};
    const found = await options.search(text, limit);
    const active = new Set<string>();
    for (const name of [...alwaysActive, ...found.slice(0, limit)]) {
      const key = tools.toolKey(name);
      if (key !== undefined) active.add(key);
    }
    return { activeTools: [...active] };
  };
}

/** The text of the last user message. */
function lastUserText({ messages }: { messages: ModelMessage[] }): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return message.content
      .map((part) => (part.type === 'text' ? part.text : ''))
      .filter((text) => text !== '')
      .join('\n');
  }
  return '';
}
