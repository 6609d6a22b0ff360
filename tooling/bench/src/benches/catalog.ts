import {
  buildCatalog,
  createMultiServerClient,
  type NamingPolicy,
  type ServerCatalog,
} from '@mcpmx/client';
import type { ToolDescriptor } from '@mcpmx/core';
import type { Client } from '@modelcontextprotocol/client';
import { connectInMemory, inProcessTransport } from '../lib/in-process-server.js';
import { median, seededRandom } from '../lib/measure.js';
import { type BenchOptions, fixed, ratio, type Section } from '../lib/report.js';
import { type SyntheticServer, syntheticServers } from '../lib/synthetic-catalog.js';

export interface CatalogOptions extends BenchOptions {
  servers?: number;
  tools?: number;
  /** Timed builds per naming policy (and as many naive merges). */
  runs?: number;
  /** Lookups per timed lookup round. */
  lookups?: number;
  /** Timed end-to-end starts per side. */
  startRuns?: number;
}

const POLICIES: readonly NamingPolicy[] = ['prefix-on-conflict', 'prefix', 'none'];
const LOOKUP_ROUNDS = 5;

interface NaiveEntry {
  server: string;
  tool: ToolDescriptor;
}

/**
 * The baseline: what a hand-rolled multi-server client does. One Map from name to tool; a name
 * already taken gets the server's prefix (the first server keeps the bare name, no length or
 * character checks, no two-way table), and the merged list for the model.
 */
export function naiveMerge(servers: ReadonlyMap<string, readonly ToolDescriptor[]>): {
  tools: Map<string, NaiveEntry>;
  list: ToolDescriptor[];
} {
  const tools = new Map<string, NaiveEntry>();
  for (const [server, list] of servers) {
    for (const tool of list) {
      tools.set(tools.has(tool.name) ? `${server}__${tool.name}` : tool.name, { server, tool });
    }
  }
  return { tools, list: [...tools].map(([name, entry]) => ({ ...entry.tool, name })) };
}

const catalogsOf = (servers: readonly SyntheticServer[]) =>
  new Map<string, ServerCatalog>(
    servers.map((server) => [
      server.name,
      { tools: server.tools, resources: [], resourceTemplates: [], prompts: [] },
    ]),
  );
const toolListsOf = (servers: readonly SyntheticServer[]) =>
  new Map(servers.map((server) => [server.name, server.tools]));

function time(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** ns per lookup of `lookup` over `names`, `count` lookups, cycling through the names. */
function lookupCost(
  names: readonly string[],
  count: number,
  lookup: (name: string) => { server: string } | undefined,
): number {
  let found = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    if (lookup(names[i % names.length] as string)?.server) found++;
  }
  const elapsed = performance.now() - started;
  if (found !== count) throw new Error(`lookup found ${found} of ${count} names`);
  return (elapsed * 1e6) / count;
}

/**
 * Catalog build and lookup at 200 servers × 50 tools: buildCatalog under each naming policy
 * against a naive Map merge, resolveTool against Map.get, and createMultiServerClient's start
 * against 200 in-process servers against bare SDK clients plus the naive merge.
 */
export async function catalog(options: CatalogOptions): Promise<Section> {
  const serverCount = options.servers ?? 200;
  const toolCount = options.tools ?? 50;
  const runs = options.runs ?? (options.quick ? 3 : 21);
  const lookups = options.lookups ?? (options.quick ? 200_000 : 2_000_000);
  const startRuns = options.startRuns ?? (options.quick ? 1 : 5);
  const withConflicts = syntheticServers({
    servers: serverCount,
    toolsPerServer: toolCount,
    conflicts: true,
  });
  const withoutConflicts = syntheticServers({
    servers: serverCount,
    toolsPerServer: toolCount,
    conflicts: false,
  });
  const sharedNames = (() => {
    const counts = new Map<string, number>();
    for (const server of withConflicts) {
      for (const tool of server.tools) counts.set(tool.name, (counts.get(tool.name) ?? 0) + 1);
    }
    return [...counts.values()].filter((n) => n > 1).reduce((sum, n) => sum + n, 0);
  })();
  const schemaBytes =
    JSON.stringify(withConflicts.flatMap((server) => server.tools)).length / (1024 * 1024);

  // (a) build time per policy, interleaved with the naive merge of the same lists.
  const builds = POLICIES.map((policy) => {
    const servers = policy === 'none' ? withoutConflicts : withConflicts;
    const catalogs = catalogsOf(servers);
    const lists = toolListsOf(servers);
    const naming = { policy };
    for (let i = 0; i < 3; i++) {
      buildCatalog(catalogs, naming);
      naiveMerge(lists);
    }
    const mcpmx: number[] = [];
    const naive: number[] = [];
    for (let i = 0; i < runs; i++) {
      mcpmx.push(time(() => buildCatalog(catalogs, naming)));
      naive.push(time(() => naiveMerge(lists)));
    }
    const built = buildCatalog(catalogs, naming);
    const entries = built.toolNames().map((name) => built.resolveTool(name));
    const renamed = entries.filter((entry) => entry && entry.federatedName !== entry.name).length;
    const hashed = entries.filter(
      (entry) =>
        entry &&
        entry.federatedName !== entry.name &&
        entry.federatedName !== `${entry.server}__${entry.name}`,
    ).length;
    return {
      policy,
      tools: built.tools.length,
      renamed,
      hashed,
      mcpmx: median(mcpmx),
      naive: median(naive),
    };
  });

  // What start() pays if it rebuilds the whole catalog as each server's first fetch ends:
  // builds of 1, 2, ..., N servers, estimated from every STEP-th size (trapezoid rule).
  const defaultNaming = {};
  const step = Math.max(1, Math.floor(serverCount / 8));
  let rebuildEstimate = 0;
  for (let size = step; size <= serverCount; size += step) {
    const part = catalogsOf(withConflicts.slice(0, size));
    const took = time(() => buildCatalog(part, defaultNaming));
    rebuildEstimate += step * (size + step > serverCount ? took / 2 : took);
  }

  // (b) lookup cost by federated name against Map.get on the naive merge.
  const catalogBuilt = buildCatalog(catalogsOf(withConflicts));
  const naiveBuilt = naiveMerge(toolListsOf(withConflicts));
  const federatedNames = shuffled(catalogBuilt.toolNames(), 1);
  const naiveNames = shuffled([...naiveBuilt.tools.keys()], 1);
  const resolve = (name: string) => catalogBuilt.resolveTool(name);
  const get = (name: string) => naiveBuilt.tools.get(name);
  lookupCost(federatedNames, lookups / 4, resolve);
  lookupCost(naiveNames, lookups / 4, get);
  const resolveCost: number[] = [];
  const getCost: number[] = [];
  for (let round = 0; round < LOOKUP_ROUNDS; round++) {
    resolveCost.push(lookupCost(federatedNames, lookups, resolve));
    getCost.push(lookupCost(naiveNames, lookups, get));
  }

  // (c) end to end over in-process servers: connect, list, merge.
  const specs = new Map(withConflicts.map((server) => [server.name, server]));
  const mcpmxStarts: number[] = [];
  const bareStarts: number[] = [];
  let rebuilds = 0;
  let federatedTools = 0;
  for (let run = 0; run < startRuns; run++) {
    const client = createMultiServerClient({
      endpoints: withConflicts.map((server) => ({
        id: `${server.name}#0`,
        server: server.name,
        // Only a description: the pool's createTransport below connects in process.
        transport: { type: 'stdio', command: 'in-process' },
      })),
      pool: {
        createTransport: (endpoint) =>
          inProcessTransport(specs.get(endpoint.server) as SyntheticServer),
        healthCheckIntervalMs: 0,
      },
    });
    let changes = 0;
    client.on('catalog-changed', () => changes++);
    const started = performance.now();
    try {
      await client.start();
      federatedTools = client.listTools().length;
      mcpmxStarts.push(performance.now() - started);
      rebuilds = changes;
    } finally {
      await client.close();
    }

    const clients: Client[] = [];
    const bareStarted = performance.now();
    try {
      const lists = await Promise.all(
        withConflicts.map(async (server) => {
          const bare = await connectInMemory(server, 'bench-bare');
          clients.push(bare);
          return [server.name, (await bare.listTools()).tools as ToolDescriptor[]] as const;
        }),
      );
      const merged = naiveMerge(new Map(lists));
      bareStarts.push(performance.now() - bareStarted);
      if (merged.list.length !== federatedTools) {
        throw new Error(`naive merge has ${merged.list.length} tools, mcpmx ${federatedTools}`);
      }
    } finally {
      await Promise.all(clients.map((bare) => bare.close()));
    }
  }

  const shape = `${serverCount} servers × ${toolCount} tools`;
  const startRatio = median(mcpmxStarts) / median(bareStarts);
  return {
    id: 'catalog',
    title: `Catalog build and lookup at ${shape}`,
    setup:
      `${serverCount * toolCount} synthetic tools from ${serverCount} servers, the same every run ` +
      '(seeded): descriptions of one to three sentences, input schemas with 1 to 7 properties of ' +
      'mixed types (enums, arrays, nested objects), annotations on most, output schemas on some ' +
      `(${fixed(schemaBytes, 1)} MB of JSON). Each server offers 8 generic names drawn from 24 ` +
      `(\`search\`, \`read_file\`, ...), so ${sharedNames} tools share a name with another ` +
      'server, and 2 names long enough that a prefixed name exceeds 64 characters. Policy ' +
      '`none` rejects conflicts, so it gets the same lists with the generic names made unique. ' +
      'The baseline is a naive merge: one Map, a taken name gets `<server>__` prepended, no ' +
      `length or character checks. (a) median of ${runs} builds, interleaved with as many ` +
      `naive merges, after 3 warm-up builds; (b) ${lookups.toLocaleString('en-US')} lookups ` +
      `of shuffled names per round, median of ${LOOKUP_ROUNDS} rounds; (c) median of ` +
      `${startRuns} start(s) of \`createMultiServerClient\` over ${serverCount} in-process ` +
      'servers (SDK v2 `Server` over `InMemoryTransport`, through `@mcpmx/pool` with its ' +
      '`createTransport` option) against as many bare SDK v2 clients connecting, listing and ' +
      'merging naively. Script: `catalog.js`.',
    tables: [
      {
        headers: [
          '(a) naming policy',
          'federated tools',
          'renamed',
          'hashed',
          'buildCatalog',
          'naive merge',
          'ratio (mcpmx / naive)',
        ],
        rows: builds.map((row) => [
          `\`${row.policy}\``,
          String(row.tools),
          String(row.renamed),
          String(row.hashed),
          `${fixed(row.mcpmx, 2)} ms`,
          `${fixed(row.naive, 2)} ms`,
          fixed(row.mcpmx / row.naive, 1),
        ]),
      },
      {
        headers: ['(b) lookup', 'catalog.resolveTool', 'naive Map.get', 'ratio (mcpmx / naive)'],
        rows: [
          [
            `by name, ${federatedNames.length} names`,
            `${fixed(median(resolveCost), 1)} ns/op`,
            `${fixed(median(getCost), 1)} ns/op`,
            fixed(median(resolveCost) / median(getCost), 2),
          ],
        ],
      },
      {
        headers: [
          '(c) end to end',
          '@mcpmx/client start()',
          'bare SDK v2 clients + naive merge',
          'ratio (mcpmx / bare)',
          'catalog rebuilds during start',
        ],
        rows: [
          [
            `${shape}, in process`,
            `${fixed(median(mcpmxStarts), 0)} ms`,
            `${fixed(median(bareStarts), 0)} ms`,
            ratio(startRatio),
            String(rebuilds),
          ],
        ],
      },
    ],
    findings: [
      `buildCatalog (default policy) takes ${fixed(builds[0]?.mcpmx ?? Number.NaN, 1)} ms for ` +
        `${serverCount * toolCount} tools; it runs when a server's list changes, not per call.`,
      `A lookup costs ${fixed(median(resolveCost), 0)} ns against ${fixed(median(getCost), 0)} ns ` +
        'for a bare Map.get: both are one Map lookup.',
      `start() built the catalog ${rebuilds} time(s) for ${serverCount} servers ` +
        `(one build costs about ${fixed(builds[0]?.mcpmx ?? Number.NaN, 0)} ms); ` +
        `rebuilding once per arriving server, for 1, 2, ..., ${serverCount} servers, would ` +
        `cost about ${fixed(rebuildEstimate / 1000, 1)} s of CPU (estimated from every ` +
        `${step}th size). The gap to the bare clients is ` +
        `${fixed((median(mcpmxStarts) - median(bareStarts)) / 1000, 2)} s.`,
    ],
  };
}
