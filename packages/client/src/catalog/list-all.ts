import {
  type CapabilityKind,
  type McpOperations,
  ProtocolError,
  type RequestOptions,
  type ServerCapabilities,
} from '@mcpmx/core';
import { combineHints, hintOfPage, type ListHint } from './list-hints.js';

/** Pages walked per list before giving up on a server whose cursor never ends. */
export const MAX_PAGES = 100;

/** One kind's whole list from one server, with its caching hint (2026-07-28). */
export interface FetchedList {
  items: unknown[];
  hint: ListHint | undefined;
}

/** The capability flag that advertises each kind. */
export function advertises(capabilities: ServerCapabilities | undefined, kind: CapabilityKind) {
  if (capabilities === undefined) return true;
  return capabilities[kind === 'resourceTemplates' ? 'resources' : kind] !== undefined;
}

const LISTS: Record<
  CapabilityKind,
  (
    operations: McpOperations,
    cursor: string | undefined,
    options: RequestOptions,
  ) => Promise<unknown>
> = {
  tools: (operations, cursor, options) => operations.listTools({ cursor }, options),
  resources: (operations, cursor, options) => operations.listResources({ cursor }, options),
  resourceTemplates: (operations, cursor, options) =>
    operations.listResourceTemplates({ cursor }, options),
  prompts: (operations, cursor, options) => operations.listPrompts({ cursor }, options),
};

/**
 * Fetches a whole list of one kind, following `nextCursor` until the server stops giving one.
 * A list walked over several pages may be kept as long as its shortest-lived page. A page
 * without the list, a cursor that repeats, or more than MAX_PAGES pages is a ProtocolError
 * naming the server and the list.
 */
export async function fetchList(
  server: string,
  kind: CapabilityKind,
  operations: McpOperations,
  options: RequestOptions,
): Promise<FetchedList> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let hint: ListHint | undefined;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await LISTS[kind](operations, cursor, options)) as Record<string, unknown>;
    const batch = result[kind];
    if (!Array.isArray(batch)) {
      throw new ProtocolError(`${server} answered the ${kind} list without a "${kind}" array`, {
        server,
      });
    }
    const pageHint = hintOfPage(result);
    hint = page === 0 ? pageHint : combineHints(hint, pageHint);
    items.push(...batch);
    cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
    if (cursor === undefined) return { items, hint };
    if (seen.has(cursor)) {
      throw new ProtocolError(
        `${server} repeated the ${kind} cursor "${cursor.slice(0, 64)}"; stopped paging`,
        { server },
      );
    }
    seen.add(cursor);
  }
  throw new ProtocolError(
    `${server} returned more than ${MAX_PAGES} pages of ${kind}; stopped paging`,
    { server },
  );
}
