import type { Catalog, CatalogEntry } from './catalog.js';

/** A tool or prompt whose federated name changed in a rebuild of the catalog. */
export interface NameChange {
  kind: 'tool' | 'prompt';
  server: string;
  /** The name the server knows. */
  name: string;
  /** The federated name before and after. */
  from: string;
  to: string;
}

/** What a rebuild of the catalog changed: the payload of `catalog-changed`, less its time. */
export interface CatalogChange {
  /** Every server in the catalog now, in name order. */
  servers: string[];
  /** Servers that joined and left the catalog in this rebuild, in name order. */
  added: string[];
  removed: string[];
  /**
   * Names that moved. Under `prefix-on-conflict` a name in use stays with its holder, so this
   * stays empty unless a name had to give way (another server's own prefix, naming `prefix`).
   */
  renamed: NameChange[];
  /** How many tools the catalog has now. */
  tools: number;
}

/** Compares two catalogs and their server lists: one pass over each name table. */
export function catalogChange(
  before: { catalog: Catalog; servers: readonly string[] },
  after: { catalog: Catalog; servers: readonly string[] },
): CatalogChange {
  const old = new Set(before.servers);
  const now = new Set(after.servers);
  return {
    servers: [...after.servers].sort(),
    added: after.servers.filter((server) => !old.has(server)).sort(),
    removed: before.servers.filter((server) => !now.has(server)).sort(),
    renamed: [
      ...renames('tool', before.catalog.toolNames(), before.catalog.resolveTool, after.catalog),
      ...renames(
        'prompt',
        before.catalog.promptNames(),
        before.catalog.resolvePrompt,
        after.catalog,
      ),
    ],
    tools: after.catalog.tools.length,
  };
}

function renames(
  kind: NameChange['kind'],
  names: readonly string[],
  resolve: (name: string) => CatalogEntry<unknown> | undefined,
  after: Catalog,
): NameChange[] {
  const resolveAfter = kind === 'tool' ? after.resolveTool : after.resolvePrompt;
  const afterNames = kind === 'tool' ? after.toolNames() : after.promptNames();
  // The new name of every (server, name) pair, once.
  const renamedTo = new Map<string, string>();
  for (const name of afterNames) {
    const entry = resolveAfter(name);
    if (entry) renamedTo.set(`${entry.server}\u0000${entry.name}`, name);
  }
  const changes: NameChange[] = [];
  for (const from of names) {
    const entry = resolve(from);
    if (!entry) continue;
    const to = renamedTo.get(`${entry.server}\u0000${entry.name}`);
    if (to !== undefined && to !== from) {
      changes.push({ kind, server: entry.server, name: entry.name, from, to });
    }
  }
  return changes;
}
