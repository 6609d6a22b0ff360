import type {
  CapabilityKind,
  McpOperations,
  PromptDescriptor,
  RequestOptions,
  ResourceDescriptor,
  ResourceTemplateDescriptor,
  ServerCapabilities,
  ToolDescriptor,
} from '@mcpmx/core';
import type { ServerCatalog } from './catalog.js';
import { combineHints, hintOfPage, type ListHint, type ListHints } from './list-hints.js';

/** Pages walked per list before giving up on a server whose cursor never ends. */
export const MAX_PAGES = 100;

type Page<T> = { nextCursor?: string } & Record<string, unknown> & { items?: T[] };

/**
 * Fetches a whole list, following `nextCursor` until the server stops giving one. A cursor
 * that repeats, or more than MAX_PAGES pages, is an error naming the server and the list.
 */
export async function listAll<T>(
  server: string,
  kind: CapabilityKind,
  fetchPage: (cursor: string | undefined) => Promise<Record<string, unknown>>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await fetchPage(cursor)) as Page<T>;
    const batch = result[kind];
    if (!Array.isArray(batch)) {
      throw new TypeError(`${server} answered ${kind} list without a "${kind}" array`);
    }
    items.push(...(batch as T[]));
    cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
    if (cursor === undefined) return items;
    if (seen.has(cursor)) {
      throw new Error(`${server} repeated the ${kind} cursor "${cursor}"; stopped paging`);
    }
    seen.add(cursor);
  }
  throw new Error(`${server} returned more than ${MAX_PAGES} pages of ${kind}; stopped paging`);
}

/**
 * Fetches everything one server offers. Kinds the server did not advertise (when
 * `capabilities` is given) are not asked for; a server that answers "method not found" offers
 * none of that kind; any other failure rejects. The lists' caching hints (2026-07-28) are kept
 * in `hints`.
 */
export async function fetchServerCatalog(
  server: string,
  operations: McpOperations,
  options: RequestOptions & { capabilities?: ServerCapabilities } = {},
): Promise<ServerCatalog> {
  const { capabilities: advertised, ...requestOptions } = options;
  const flag = (kind: CapabilityKind) => (kind === 'resourceTemplates' ? 'resources' : kind);
  const hints: ListHints = {};
  const tolerant = async <T>(
    kind: CapabilityKind,
    fetch: (cursor?: string) => Promise<unknown>,
  ) => {
    if (advertised && advertised[flag(kind)] === undefined) return [];
    // A list walked over several pages may be kept as long as its shortest-lived page.
    let hint: ListHint | undefined;
    let pages = 0;
    try {
      const items = await listAll<T>(server, kind, async (cursor) => {
        const page = (await fetch(cursor)) as Record<string, unknown>;
        const pageHint = hintOfPage(page);
        hint = pages++ === 0 ? pageHint : combineHints(hint, pageHint);
        return page;
      });
      if (hint) hints[kind] = hint;
      return items;
    } catch (error) {
      if ((error as { rpcCode?: number }).rpcCode === -32601) return [];
      throw error;
    }
  };
  const [tools, resources, resourceTemplates, prompts] = await Promise.all([
    tolerant<ToolDescriptor>('tools', (cursor) => operations.listTools({ cursor }, requestOptions)),
    tolerant<ResourceDescriptor>('resources', (cursor) =>
      operations.listResources({ cursor }, requestOptions),
    ),
    tolerant<ResourceTemplateDescriptor>('resourceTemplates', (cursor) =>
      operations.listResourceTemplates({ cursor }, requestOptions),
    ),
    tolerant<PromptDescriptor>('prompts', (cursor) =>
      operations.listPrompts({ cursor }, requestOptions),
    ),
  ]);
  return { tools, resources, resourceTemplates, prompts, hints };
}
