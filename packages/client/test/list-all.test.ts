import { createSessionPool } from '@mcpmx/pool';
import { describe, expect, it } from 'vitest';
import { fetchServerCatalog, listAll } from '../src/catalog/list-all.js';
import { everything, faultReplica } from './helpers.js';

describe('fetchServerCatalog', () => {
  it('fetches every kind from server-everything, walking pages', async () => {
    const pool = createSessionPool(everything());
    try {
      const catalog = await fetchServerCatalog('everything', pool);
      expect(catalog.tools.map((tool) => tool.name)).toEqual(
        expect.arrayContaining(['echo', 'get-sum']),
      );
      expect(catalog.resources.length).toBeGreaterThan(0);
      expect(new Set(catalog.resources.map((r) => r.uri)).size).toBe(catalog.resources.length);
      expect(catalog.resourceTemplates.length).toBeGreaterThan(0);
      expect(catalog.prompts.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it('treats a missing capability as empty (the fault server has tools only)', async () => {
    const pool = createSessionPool(faultReplica('fault', 0));
    try {
      const catalog = await fetchServerCatalog('fault', pool);
      expect(catalog.tools.map((tool) => tool.name)).toContain('echo');
      expect(catalog.prompts).toEqual([]);
      expect(catalog.resources).toEqual([]);
    } finally {
      await pool.close();
    }
  });
});

describe('listAll', () => {
  it('follows nextCursor across pages, in order', async () => {
    const pages: Record<string, { tools: { name: string }[]; nextCursor?: string }> = {
      start: { tools: [{ name: 'a' }], nextCursor: 'p2' },
      p2: { tools: [{ name: 'b' }, { name: 'c' }], nextCursor: 'p3' },
      p3: { tools: [{ name: 'd' }] },
    };
    const tools = await listAll<{ name: string }>('paged', 'tools', async (cursor) => {
      const page = pages[cursor ?? 'start'];
      if (!page) throw new Error(`no page ${cursor}`);
      return page;
    });
    expect(tools.map((tool) => tool.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('stops on a repeated cursor with an error naming the server', async () => {
    await expect(
      listAll('loopy', 'tools', async () => ({ tools: [], nextCursor: 'same' })),
    ).rejects.toThrow('loopy repeated the tools cursor "same"');
  });

  it('rejects a page without the list', async () => {
    await expect(listAll('odd', 'prompts', async () => ({ tools: [] }))).rejects.toThrow(
      'odd answered prompts list without a "prompts" array',
    );
  });
});
