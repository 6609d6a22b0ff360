import { describe, expect, it } from 'vitest';
import { buildCatalog, type Catalog, type ServerCatalog } from './catalog.js';
import { createCatalogSearch } from './catalog-search.js';

const lists = (tools: [string, string][]): ServerCatalog => ({
  tools: tools.map(([name, description]) => ({
    name,
    description,
    inputSchema: { type: 'object' },
  })),
  prompts: [],
  resources: [],
  resourceTemplates: [],
});
const servers = new Map([
  ['github', lists([['create_issue', 'Create a new issue in a GitHub repository']])],
  ['gitlab', lists([['create_issue', 'Create a new issue in a GitLab project']])],
  ['memory', lists([['delete_entities', 'Delete entities from the knowledge graph']])],
]);

describe('createCatalogSearch', () => {
  it('finds tools by their federated names, with their servers; filters by server and tag', async () => {
    let catalog: Catalog = buildCatalog(servers, { policy: 'prefix-on-conflict' });
    const search = createCatalogSearch({
      catalog: () => catalog,
      hasTag: (server, tag) => tag === 'code' && server !== 'memory',
    });
    const [first] = await search('open an issue on GitHub');
    expect(first).toMatchObject({ name: 'github__create_issue', server: 'github' });
    expect((await search('issue', { servers: ['gitlab'] })).map((r) => r.name)).toEqual([
      'gitlab__create_issue',
    ]);
    expect((await search('remove entities', { tags: ['code'] })).map((r) => r.name)).toEqual([]);
    expect((await search('remove entities')).map((r) => r.name)).toEqual(['delete_entities']);
    // The catalog changed (a server left): the next search sees it.
    catalog = buildCatalog(new Map([...servers].filter(([name]) => name !== 'memory')), {
      policy: 'prefix-on-conflict',
    });
    expect(await search('remove entities')).toEqual([]);
  });

  it('re-ranks through the hook, given up to three times the limit', async () => {
    const catalog = buildCatalog(servers, { policy: 'prefix-on-conflict' });
    const seen: number[] = [];
    const search = createCatalogSearch({
      catalog: () => catalog,
      hasTag: () => false,
      settings: {
        rerank: (_query, candidates) => {
          seen.push(candidates.length);
          return [...candidates].reverse();
        },
      },
    });
    const results = await search('create issue', { limit: 1 });
    expect(seen).toEqual([2]); // both issue tools came back (3 × 1 allowed)
    expect(results).toHaveLength(1);
  });

  it('bad options are named', async () => {
    const search = createCatalogSearch({
      catalog: () => buildCatalog(servers),
      hasTag: () => false,
    });
    await expect(search('x', { limit: 0 })).rejects.toThrow(/limit/);
    await expect(search('x', { limit: 101 })).rejects.toThrow(/limit/);
    await expect(search('x', { servers: 'github' as unknown as string[] })).rejects.toThrow(
      /servers/,
    );
    await expect(search(undefined as unknown as string)).rejects.toThrow(/query/);
  });
});
