import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ToolDescriptor } from '@mcpmx/core';
import { createToolIndex, type SearchableTool } from '@mcpmx/tool-search';
import { testServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { countTokens } from 'gpt-tokenizer';
import { startGateway } from '../lib/gateway-process.js';
import { median, quantiles } from '../lib/measure.js';
import { type ReferenceTool, referenceCatalog, referenceConfig } from '../lib/reference-catalog.js';
import { type BenchOptions, fixed, type Section } from '../lib/report.js';
import { syntheticServers } from '../lib/synthetic-catalog.js';

interface QuerySet {
  queries: [expected: string, query: string][];
}

/** A candidate in a ranking: the tool as a caller sees it, and the key the query set uses. */
interface Candidate extends SearchableTool {
  key: string;
}

// Relative to the built script (dist/tool-search.js or dist/run-all.js).
const QUERIES_FILE = new URL('../data/tool-search-queries.json', import.meta.url);
const DISTRACTORS = { servers: 200, toolsPerServer: 50 };

/**
 * Tool search (`@mcpmx/tool-search`, what `client.searchTools` ranks with): how often the tool
 * a task needs comes first, or in the first five, over the real reference servers' tools, alone
 * and among 10,000 synthetic distractors; against plain substring matching; and what a search
 * and an index build cost at 10,000 tools.
 */
export async function toolSearch(options: BenchOptions): Promise<Section> {
  const { queries } = JSON.parse(readFileSync(QUERIES_FILE, 'utf8')) as QuerySet;
  const { tools: reference, down } = await referenceCatalog();
  if (down.length > 0) throw new Error(`reference servers did not start: ${down.join(', ')}`);
  const real = reference.map(candidate);
  const known = new Set(real.map((tool) => tool.key));
  const missing = queries.filter(([expected]) => !known.has(expected));
  if (missing.length > 0) {
    throw new Error(`the query set names tools no server lists: ${missing.map((q) => q[0])}`);
  }
  const distractors = syntheticServers({ ...DISTRACTORS, conflicts: true }).flatMap((server) =>
    server.tools.map((tool) => ({
      ...tool,
      name: `${server.name}__${tool.name}`,
      key: `${server.name}/${tool.name}`,
    })),
  );
  const catalogs = [
    { label: `reference servers (${real.length} tools)`, tools: real },
    {
      label: `reference + ${distractors.length.toLocaleString('en')} synthetic`,
      tools: [...real, ...distractors],
    },
  ];

  const recallRows: string[][] = [];
  const findings: string[] = [];
  for (const catalog of catalogs) {
    const index = createToolIndex<Candidate>();
    index.update(catalog.tools);
    const searched = recall(queries, (query) =>
      index.search(query, { limit: 5 }).map((hit) => hit.tool.key),
    );
    const substring = recall(queries, (query) => substringRanking(catalog.tools, query, 5));
    recallRows.push(
      [catalog.label, '@mcpmx/tool-search', pct(searched.at1), pct(searched.at5)],
      [catalog.label, 'substring matching', pct(substring.at1), pct(substring.at5)],
    );
    findings.push(
      `${catalog.label}: recall@1 ${pct(searched.at1)} against ${pct(substring.at1)} for ` +
        `substring matching, recall@5 ${pct(searched.at5)} against ${pct(substring.at5)}.`,
    );
  }

  // Speed at 10,000 tools: the distractors alone (a fleet of 200 servers).
  const builds = options.quick ? 3 : 10;
  const buildMs: number[] = [];
  let index = createToolIndex<Candidate>();
  for (let i = 0; i < builds; i++) {
    index = createToolIndex<Candidate>();
    const started = performance.now();
    index.update(distractors);
    buildMs.push(performance.now() - started);
  }
  // One server's list changed: update with the same 10,000 but 50 new descriptions.
  const changed = distractors.map((tool, i) =>
    i < DISTRACTORS.toolsPerServer ? { ...tool, description: `${tool.description} (v2)` } : tool,
  );
  const updateStarted = performance.now();
  index.update(changed);
  const updateMs = performance.now() - updateStarted;
  const rounds = options.quick ? 5 : 50;
  const searchMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [, query] of queries) {
      const started = performance.now();
      index.search(query, { limit: 10 });
      searchMs.push(performance.now() - started);
    }
  }
  const [p50 = 0, p99 = 0] = quantiles(searchMs, [0.5, 0.99]);
  findings.push(
    `At 10,000 tools a search takes ${fixed(p50, 3)} ms at the median (target < 1 ms) and ` +
      `${fixed(p99, 3)} ms at p99; building the index takes ${fixed(median(buildMs), 0)} ms ` +
      `(target < 100 ms), and updating it after one server's 50 tools changed ${fixed(updateMs, 1)} ms.`,
  );

  const context = await contextSizes(distractors);
  for (const row of context.rows) {
    findings.push(
      `${row.label}: an agent receives ${row.eager.toLocaleString('en')} tokens of tool ` +
        `definitions eagerly, ${row.lazy.toLocaleString('en')} in lazy mode ` +
        `(${fixed(row.eager / row.lazy, 0)}× fewer).`,
    );
  }

  return {
    id: 'tool-search',
    title: 'Tool search: recall on real servers’ tools, and its cost at 10,000 tools',
    setup:
      `${queries.length} tasks written as a user would say them (` +
      '`tooling/bench/data/tool-search-queries.json`), each with the one tool that does it, ' +
      `over the tools of ${new Set(real.map((tool) => tool.key.split('/')[0])).size} reference ` +
      'MCP servers from npm (everything, filesystem, memory, sequential-thinking, github, ' +
      'gitlab, slack, brave-search, google-maps, everart, postgres), listed through ' +
      '@mcpmx/client (federated names), then among the 200 × 50 synthetic catalog as ' +
      'distractors. recall@k: the share of tasks whose tool is among the first k. Substring ' +
      'matching ranks a tool by how many of the query’s words (3 letters or more) occur in its ' +
      `name or description. Speed: ${builds} index builds of 10,000 tools, then each task ` +
      `searched ${rounds} times, limit 10, in this process. Context size: the tokens (o200k, ` +
      '`gpt-tokenizer`) of the `tools` a `tools/list` gives, as JSON, from `mcpmx serve --http` ' +
      '(eager) and `mcpmx serve --http --tools lazy`; for the synthetic catalog the eager ' +
      'figure is its definitions as they would be listed. Script: `tool-search.js`.',
    tables: [
      { headers: ['catalog', 'ranking', 'recall@1', 'recall@5'], rows: recallRows },
      {
        headers: ['10,000 tools', 'median', 'p99'],
        rows: [
          ['search (limit 10)', `${fixed(p50, 3)} ms`, `${fixed(p99, 3)} ms`],
          [
            'index build',
            `${fixed(median(buildMs), 1)} ms`,
            `${fixed(quantiles(buildMs, [0.99])[0] ?? 0, 1)} ms`,
          ],
          ['update after 50 tools changed', `${fixed(updateMs, 1)} ms`, '—'],
        ],
      },
      {
        headers: ['catalog', 'tools', 'eager: tokens', 'lazy: tokens', 'eager ÷ lazy'],
        rows: context.rows.map((row) => [
          row.label,
          row.tools.toLocaleString('en'),
          row.eager.toLocaleString('en'),
          row.lazy.toLocaleString('en'),
          fixed(row.eager / row.lazy, 0),
        ]),
      },
    ],
    findings,
  };
}

function candidate({ key, tool }: ReferenceTool): Candidate {
  return { ...(tool as ToolDescriptor), key };
}

function recall(
  queries: QuerySet['queries'],
  rank: (query: string) => string[],
): { at1: number; at5: number } {
  let at1 = 0;
  let at5 = 0;
  for (const [expected, query] of queries) {
    const ranked = rank(query);
    if (ranked[0] === expected) at1++;
    if (ranked.slice(0, 5).includes(expected)) at5++;
  }
  return { at1: at1 / queries.length, at5: at5 / queries.length };
}

/** The baseline: tools ranked by how many query words their name or description contains. */
function substringRanking(tools: readonly Candidate[], query: string, limit: number): string[] {
  const words = query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 3);
  const scored: { key: string; score: number }[] = [];
  for (const tool of tools) {
    const text = `${tool.name} ${tool.description ?? ''}`.toLowerCase();
    let score = 0;
    for (const word of words) if (text.includes(word)) score++;
    if (score > 0) scored.push({ key: tool.key, score });
  }
  // Stable: equal scores keep catalog order.
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((entry) => entry.key);
}

const pct = (share: number) => `${fixed(100 * share, 1)} %`;

interface ContextRow {
  label: string;
  tools: number;
  eager: number;
  lazy: number;
}

/**
 * Tokens of the tool definitions an agent gets from the gateway, eager against lazy: the demo's
 * servers (everything, filesystem, memory and the fault server), the eleven reference servers,
 * and the synthetic catalog.
 */
async function contextSizes(synthetic: readonly Candidate[]): Promise<{ rows: ContextRow[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpmx-context-'));
  try {
    const reference = referenceConfig(dir);
    const { everything, filesystem, memory } = reference.mcpServers;
    const fleets = [
      {
        label: 'the demo’s servers (everything, filesystem, memory, fault server)',
        config: {
          mcpServers: {
            everything,
            filesystem,
            memory,
            flaky: { command: process.execPath, args: [testServers.fault] },
          },
        },
      },
      { label: 'the eleven reference servers', config: reference },
    ];
    const rows: ContextRow[] = [];
    let lazyTokens = 0;
    for (const fleet of fleets) {
      const file = join(dir, 'mcp.json');
      await writeFile(file, JSON.stringify(fleet.config));
      const eager = await listedTools(file, []);
      const lazy = await listedTools(file, ['--tools', 'lazy']);
      lazyTokens = tokensOf(lazy);
      rows.push({
        label: fleet.label,
        tools: eager.length,
        eager: tokensOf(eager),
        lazy: lazyTokens,
      });
    }
    const definitions = synthetic.map(({ key: _key, ...tool }) => tool);
    rows.push({
      label: 'the 200 × 50 synthetic catalog',
      tools: definitions.length,
      eager: tokensOf(definitions),
      lazy: lazyTokens,
    });
    return { rows };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The tools a downstream client lists from `mcpmx serve --http` with `args`. */
async function listedTools(config: string, args: string[]): Promise<unknown[]> {
  const gateway = await startGateway(config, args);
  const sdk = new Client({ name: 'bench-context', version: '0.0.0' });
  try {
    await sdk.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
    return (await sdk.listTools()).tools;
  } finally {
    await sdk.close().catch(() => undefined);
    await gateway.close();
  }
}

const tokensOf = (tools: readonly unknown[]) => countTokens(JSON.stringify(tools));
