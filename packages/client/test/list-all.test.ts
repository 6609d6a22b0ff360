import type { McpOperations } from '@mcpmx/core';
import { createSessionPool } from '@mcpmx/pool';
import { describe, expect, it } from 'vitest';
import { fetchList } from '../src/catalog/list-all.js';
import { everything } from './helpers.js';

/** Operations whose listTools pages come from a table: for paging edge cases. */
const paged = (pages: Record<string, Record<string, unknown>>) =>
  ({
    listTools: async (params?: { cursor?: string }) => {
      const page = pages[params?.cursor ?? 'start'];
      if (!page) throw new Error(`no page ${params?.cursor}`);
      return page;
    },
  }) as unknown as McpOperations;

describe('fetchList', () => {
  it('fetches each kind from server-everything, walking pages', async () => {
    const pool = createSessionPool(everything());
    try {
      const tools = await fetchList('everything', 'tools', pool, {});
      expect(tools.items.map((tool) => (tool as { name: string }).name)).toEqual(
        expect.arrayContaining(['echo', 'get-sum']),
      );
      const resources = await fetchList('everything', 'resources', pool, {});
      expect(resources.items.length).toBeGreaterThan(0);
      const uris = resources.items.map((resource) => (resource as { uri: string }).uri);
      expect(new Set(uris).size).toBe(uris.length);
      expect(
        (await fetchList('everything', 'resourceTemplates', pool, {})).items.length,
      ).toBeGreaterThan(0);
      expect((await fetchList('everything', 'prompts', pool, {})).items.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it('follows nextCursor across pages, in order, keeping the shortest-lived hint', async () => {
    const list = await fetchList(
      'paged',
      'tools',
      paged({
        start: { tools: [{ name: 'a' }], nextCursor: 'p2', ttlMs: 5000, cacheScope: 'public' },
        p2: {
          tools: [{ name: 'b' }, { name: 'c' }],
          nextCursor: 'p3',
          ttlMs: 100,
          cacheScope: 'public',
        },
        p3: { tools: [{ name: 'd' }], ttlMs: 1000, cacheScope: 'public' },
      }),
      {},
    );
    expect(list.items.map((tool) => (tool as { name: string }).name)).toEqual(['a', 'b', 'c', 'd']);
    expect(list.hint).toEqual({ ttlMs: 100, cacheScope: 'public' });
  });

  it('stops on a repeated cursor with a ProtocolError naming the server', async () => {
    await expect(
      fetchList(
        'loopy',
        'tools',
        paged({
          start: { tools: [], nextCursor: 'same' },
          same: { tools: [], nextCursor: 'same' },
        }),
        {},
      ),
    ).rejects.toMatchObject({
      code: 'MCPMX_PROTOCOL_ERROR',
      message: expect.stringContaining('loopy repeated the tools cursor "same"'),
    });
  });

  it('rejects a page without the list', async () => {
    await expect(fetchList('odd', 'tools', paged({ start: { prompts: [] } }), {})).rejects.toThrow(
      'odd answered the tools list without a "tools" array',
    );
  });
});
