import { checkNumber, InvalidOptionError, type ToolDescriptor } from '@mcpmx/core';
import { createToolIndex, type ToolIndexOptions } from '@mcpmx/tool-search';
import type { Catalog } from './catalog.js';

export interface SearchToolsOptions {
  /** At most this many tools, best first. Default 10, at most 100. */
  limit?: number;
  /** Only tools of these servers. */
  servers?: readonly string[];
  /** Only tools of servers with one of these tags (config `tags`, or a replica's). */
  tags?: readonly string[];
}

/** One tool `searchTools` found: as callers see it (its federated name), and whose it is. */
export interface ToolSearchResult {
  /** The name to call it by. */
  name: string;
  server: string;
  tool: ToolDescriptor;
  /** Relevance, higher is better; comparable within one search only. */
  score: number;
}

export interface ToolSearchSettings extends ToolIndexOptions {
  /**
   * Re-ranks what the index found (an embedding model, say): given the query and the index's
   * best candidates (up to 3 × limit), returns them in the order to keep. Optional: the index
   * alone needs no model and no network.
   */
  rerank?: (
    query: string,
    candidates: readonly ToolSearchResult[],
  ) => readonly ToolSearchResult[] | Promise<readonly ToolSearchResult[]>;
}

const MAX_LIMIT = 100;

/**
 * Search over the client's catalog: one index, brought up to date with the catalog on the
 * first search after it changed (unchanged tools are not indexed again), so filters,
 * overrides and federated names are those callers see.
 */
export function createCatalogSearch(parts: {
  catalog(): Catalog;
  hasTag(server: string, tag: string): boolean;
  settings?: ToolSearchSettings;
}) {
  const { rerank, ...indexOptions } = parts.settings ?? {};
  const index = createToolIndex<ToolDescriptor>(indexOptions);
  let indexed: Catalog | undefined;

  return async (query: string, options: SearchToolsOptions = {}): Promise<ToolSearchResult[]> => {
    if (typeof query !== 'string') throw new InvalidOptionError('query', 'a string', query);
    const limit = checkNumber('limit', options.limit ?? 10, {
      min: 1,
      max: MAX_LIMIT,
      integer: true,
    });
    for (const key of ['servers', 'tags'] as const) {
      const value = options[key];
      if (
        value !== undefined &&
        !(Array.isArray(value) && value.every((v) => typeof v === 'string'))
      ) {
        throw new InvalidOptionError(key, 'an array of strings', value);
      }
    }
    const catalog = parts.catalog();
    if (catalog !== indexed) {
      index.update(catalog.tools);
      indexed = catalog;
    }
    const servers = options.servers && new Set(options.servers);
    const { tags } = options;
    const serverOf = (tool: ToolDescriptor) => catalog.resolveTool(tool.name)?.server;
    const wanted = (tool: ToolDescriptor) => {
      const server = serverOf(tool);
      if (server === undefined) return false;
      if (servers && !servers.has(server)) return false;
      return !tags || tags.some((tag) => parts.hasTag(server, tag));
    };
    const hits = index.search(query, { limit: rerank ? limit * 3 : limit, filter: wanted });
    const results = hits.map(({ tool, score }) => ({
      name: tool.name,
      server: serverOf(tool) as string,
      tool,
      score,
    }));
    return rerank ? [...(await rerank(query, results))].slice(0, limit) : results;
  };
}
