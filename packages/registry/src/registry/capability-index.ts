import type {
  CapabilityKind,
  PromptDescriptor,
  ResourceDescriptor,
  ResourceTemplateDescriptor,
  ToolDescriptor,
} from '@mcpmx/core';

/** The item type of each capability kind. */
export interface CapabilityItems {
  tools: ToolDescriptor;
  resources: ResourceDescriptor;
  resourceTemplates: ResourceTemplateDescriptor;
  prompts: PromptDescriptor;
}

export const CAPABILITY_KINDS: readonly CapabilityKind[] = [
  'tools',
  'resources',
  'resourceTemplates',
  'prompts',
];

/** What a call to {@link CapabilityIndex.set} changed, by key (name, or uri for resources). */
export interface CapabilityDiff {
  added: string[];
  removed: string[];
  /** Keys present before and after whose descriptor changed. */
  updated: string[];
}

/** The index key of an item: its uri for resources, its name otherwise. */
export function capabilityKey<K extends CapabilityKind>(kind: K, item: CapabilityItems[K]): string {
  return kind === 'resources' ? (item as ResourceDescriptor).uri : (item as { name: string }).name;
}

/**
 * Each server's catalog, and an inverted index key -> servers maintained incrementally, so
 * "which servers offer tool X" and "which server serves uri Y" are one Map lookup.
 */
export class CapabilityIndex {
  private readonly byServer = new Map<string, Map<CapabilityKind, Map<string, unknown>>>();
  private readonly byKey = new Map<CapabilityKind, Map<string, Set<string>>>(
    CAPABILITY_KINDS.map((kind) => [kind, new Map()]),
  );

  /** Replaces `server`'s items of `kind`; returns what changed. */
  set<K extends CapabilityKind>(
    server: string,
    kind: K,
    items: readonly CapabilityItems[K][],
  ): CapabilityDiff {
    let kinds = this.byServer.get(server);
    if (!kinds) {
      kinds = new Map();
      this.byServer.set(server, kinds);
    }
    const before = kinds.get(kind) ?? new Map<string, unknown>();
    const after = new Map<string, unknown>();
    for (const item of items) after.set(capabilityKey(kind, item), item);
    const diff: CapabilityDiff = { added: [], removed: [], updated: [] };
    const index = this.byKey.get(kind) as Map<string, Set<string>>;
    for (const [key, item] of after) {
      if (!before.has(key)) {
        diff.added.push(key);
        let servers = index.get(key);
        if (!servers) {
          servers = new Set();
          index.set(key, servers);
        }
        servers.add(server);
      } else if (JSON.stringify(before.get(key)) !== JSON.stringify(item)) {
        diff.updated.push(key);
      }
    }
    for (const key of before.keys()) {
      if (after.has(key)) continue;
      diff.removed.push(key);
      const servers = index.get(key);
      servers?.delete(server);
      if (servers?.size === 0) index.delete(key);
    }
    if (after.size === 0) kinds.delete(kind);
    else kinds.set(kind, after);
    if (kinds.size === 0) this.byServer.delete(server);
    return diff;
  }

  /** `server`'s items of `kind`, in the order they were set. */
  get<K extends CapabilityKind>(server: string, kind: K): CapabilityItems[K][] {
    return [...(this.byServer.get(server)?.get(kind)?.values() ?? [])] as CapabilityItems[K][];
  }

  /** Servers offering `key` (a name, or a uri for resources), in the order they gained it. */
  serversFor(kind: CapabilityKind, key: string): string[] {
    return [...(this.byKey.get(kind)?.get(key) ?? [])];
  }

  /** Kinds `server` has any items of. */
  kindsOf(server: string): CapabilityKind[] {
    return [...(this.byServer.get(server)?.keys() ?? [])];
  }
}
