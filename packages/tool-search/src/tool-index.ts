import { checkNumber, InvalidOptionError } from '@mcpmx/core';
import MiniSearch from 'minisearch';
import { indexTerms, queryTerms } from './search-terms.js';

/** What the index reads of a tool: an MCP tool definition fits, under the name callers use. */
export interface SearchableTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: { properties?: Record<string, unknown>; [key: string]: unknown };
  annotations?: { title?: string; [key: string]: unknown };
}

export interface ToolSearchHit<T> {
  tool: T;
  /** Relevance, higher is better; comparable within one search only. */
  score: number;
}

export interface ToolSearchOptions<T> {
  /** At most this many hits, best first. Default 10. */
  limit?: number;
  /** Only tools for which this is true. */
  filter?: (tool: T) => boolean;
}

/** How much a match in each field counts, relative to a match in the description (1). */
export interface FieldBoosts {
  name: number;
  title: number;
  description: number;
  parameters: number;
}

export interface ToolIndexOptions {
  /** Default: name 3, title 2, description 1, parameters 1. */
  boosts?: Partial<FieldBoosts>;
  /**
   * Typo tolerance in names and titles: a term may be this fraction of its length away (edit
   * distance) from an indexed one. Default 0.2 (one edit in a five-letter word); 0 turns it off.
   */
  fuzzy?: number;
}

export interface ToolIndex<T extends SearchableTool> {
  /**
   * Makes the index hold exactly `tools`: a tool whose definition is unchanged (same name,
   * title, description and parameters) is not re-indexed, so updating after one server's list
   * changed costs that server's tools only. Names must be unique. A tool object is read once:
   * give a changed tool as a new object, not the old one edited.
   */
  update(tools: readonly T[]): void;
  /** Tools ranked for `query` (words of any case and form; stop words ignored). */
  search(query: string, options?: ToolSearchOptions<T>): ToolSearchHit<T>[];
  /** How many tools are indexed. */
  readonly size: number;
}

export const DEFAULT_FIELD_BOOSTS: Readonly<FieldBoosts> = Object.freeze({
  name: 3,
  title: 2,
  description: 1,
  parameters: 1,
});

const FIELDS = ['name', 'title', 'description', 'parameters'] as const;
type Field = (typeof FIELDS)[number];
/** The short fields, where query words also match as prefixes and with typos, and synonyms. */
const LOOSE_FIELDS: Field[] = ['name', 'title'];
/** The long fields, where query words match exactly. */
const EXACT_FIELDS: Field[] = ['description', 'parameters'];
/** A description longer than this is indexed up to here: tools with essays still index fast. */
const MAX_FIELD_CHARS = 1024;
/** Of each parameter, its name and this much of its description. */
const MAX_PARAMETER_CHARS = 80;
/** Words of a query past this many are ignored. */
const MAX_QUERY_TERMS = 32;
/** How much a synonym's match counts, against the word itself (1). */
const SYNONYM_WEIGHT = 0.5;
const asIs = (term: string) => term;
const oneTerm = (text: string) => [text];

/**
 * A full-text index of tool definitions (MiniSearch underneath): BM25-ranked, field-boosted,
 * prefix and typo tolerant, local and synchronous. Build one, `update` it with the current
 * tools whenever they change, and `search` it.
 */
export function createToolIndex<T extends SearchableTool>(
  options: ToolIndexOptions = {},
): ToolIndex<T> {
  const boosts = { ...DEFAULT_FIELD_BOOSTS, ...options.boosts };
  for (const field of FIELDS) checkNumber(`boosts.${field}`, boosts[field], { min: 0 });
  const fuzzy = checkNumber('fuzzy', options.fuzzy ?? 0.2, { min: 0, max: 1 });
  /** Indexed tools by name, with the text they were indexed from. */
  const indexed = new Map<string, { tool: T; document: IndexedDocument }>();
  /** The text each tool object was indexed from (tools are treated as immutable). */
  const documents = new WeakMap<T, IndexedDocument>();
  const engine = new MiniSearch<IndexedDocument>({
    fields: [...FIELDS],
    // Words become terms in one pass (the tokenizer stems and drops stop words itself).
    tokenize: indexTerms,
    processTerm: asIs,
    // Discarded documents are swept in the background once enough pile up (MiniSearch's own).
    autoVacuum: true,
  });
  /**
   * The query's own terms exactly in every field, and in the name and title also as a prefix
   * (from 4 letters) and with a typo (from 5); their synonyms exactly in the name and title, at
   * half weight. The long fields match exact words only: a prefix or typo, or a synonym, there
   * matched thousands of tools in a large catalog, which made searches slow and added noise.
   */
  const searchTree = (own: string[], synonyms: string[]) => ({
    combineWith: 'OR' as const,
    boost: boosts,
    tokenize: oneTerm,
    processTerm: asIs,
    queries: [
      { queries: own, combineWith: 'OR' as const, fields: EXACT_FIELDS },
      {
        queries: own,
        combineWith: 'OR' as const,
        fields: LOOSE_FIELDS,
        prefix: (term: string) => term.length >= 4,
        fuzzy: fuzzy === 0 ? false : (term: string) => (term.length >= 5 ? fuzzy : false),
        maxFuzzy: 2,
      },
      ...(synonyms.length === 0
        ? []
        : [
            {
              queries: synonyms,
              combineWith: 'OR' as const,
              fields: LOOSE_FIELDS,
              boostTerm: () => SYNONYM_WEIGHT,
            },
          ]),
    ],
  });

  return {
    update(tools) {
      const next = new Map<string, { tool: T; document: IndexedDocument }>();
      for (const tool of tools) {
        if (typeof tool?.name !== 'string') {
          throw new InvalidOptionError('tools', 'tools with a string "name"', tool);
        }
        if (next.has(tool.name)) {
          throw new InvalidOptionError('tools', 'unique tool names', tool.name);
        }
        // The same object as before is not read again: an update after one server's list
        // changed reads that server's new tools only.
        let document = documents.get(tool);
        if (document === undefined) {
          document = documentOf(tool);
          documents.set(tool, document);
        }
        next.set(tool.name, { tool, document });
      }
      for (const [name, entry] of indexed) {
        const incoming = next.get(name);
        if (incoming === undefined || !sameText(incoming.document, entry.document)) {
          engine.discard(name);
          indexed.delete(name);
        } else {
          entry.tool = incoming.tool; // same text: keep the index, hand out the new object
        }
      }
      for (const [name, entry] of next) {
        if (indexed.has(name)) continue;
        engine.add(entry.document);
        indexed.set(name, entry);
      }
    },
    search(query, searchOptions = {}) {
      if (typeof query !== 'string') throw new InvalidOptionError('query', 'a string', query);
      const limit = checkNumber('limit', searchOptions.limit ?? 10, { min: 1, integer: true });
      const { filter } = searchOptions;
      const hits: ToolSearchHit<T>[] = [];
      const { own, synonyms } = queryTerms(query.slice(0, MAX_FIELD_CHARS), MAX_QUERY_TERMS);
      if (own.length === 0) return [];
      for (const result of engine.search(searchTree(own, synonyms))) {
        const entry = indexed.get(result.id as string);
        if (entry === undefined || (filter && !filter(entry.tool))) continue;
        hits.push({ tool: entry.tool, score: result.score });
        if (hits.length >= limit) break;
      }
      return hits;
    },
    get size() {
      return indexed.size;
    },
  };
}

/** What the engine indexes of a tool: its name as the id, and the text of each field. */
type IndexedDocument = { id: string } & Record<Field, string>;

/** Whether two documents have the same text, so that one need not be indexed again. */
function sameText(a: IndexedDocument, b: IndexedDocument): boolean {
  return (
    a.name === b.name &&
    a.title === b.title &&
    a.description === b.description &&
    a.parameters === b.parameters
  );
}

/** The text of each field: parameters are their names and descriptions. */
function documentOf(tool: SearchableTool): IndexedDocument {
  const properties = tool.inputSchema?.properties;
  const parameters =
    properties && typeof properties === 'object'
      ? Object.entries(properties)
          .map(([name, schema]) => {
            const description = (schema as { description?: unknown } | null)?.description;
            return typeof description === 'string'
              ? `${name} ${description.slice(0, MAX_PARAMETER_CHARS)}`
              : name;
          })
          .join(' ')
      : '';
  const title = tool.title ?? tool.annotations?.title;
  return {
    id: tool.name,
    name: tool.name,
    title: typeof title === 'string' ? title : '',
    description: (typeof tool.description === 'string' ? tool.description : '').slice(
      0,
      MAX_FIELD_CHARS,
    ),
    parameters: parameters.slice(0, MAX_FIELD_CHARS),
  };
}
