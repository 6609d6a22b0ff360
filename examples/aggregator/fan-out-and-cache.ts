import type { ToolAnnotations } from '@mcpmx/core';

// Stand-ins for your own calls.
const query = 'mcp';
const search = async (server: string, text: string, signal: AbortSignal) => {
  signal.throwIfAborted();
  return { server, hits: [`${text} on ${server}`] };
};
const [server, tool, args] = ['docs', 'lookup', { id: 1 }] as const;
const annotations: ToolAnnotations = { readOnlyHint: true };
const upstream = async (signal: AbortSignal) => {
  signal.throwIfAborted();
  return { content: [{ type: 'text', text: 'fresh' }] };
};

// #region readme
import { createLruCache, createResultCache, fanOut } from '@mcpmx/aggregator';

const { results, values } = await fanOut(
  ['docs', 'wiki', 'tickets'],
  (server, signal) => search(server, query, signal), // any (target, signal) => Promise
  { strategy: 'all-settled', perTargetTimeoutMs: 2_000 },
);

const toolResults = createResultCache({
  cache: createLruCache({ maxEntries: 500, defaultTtlMs: 30_000 }),
  enabled: true,
});
const answer = await toolResults.call({ server, tool, args, annotations }, (signal) => upstream(signal));
// #endregion readme
