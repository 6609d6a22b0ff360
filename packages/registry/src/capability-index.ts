import type {
  CapabilityKind,
  PromptDescriptor,
  ResourceDescriptor,
  ResourceTemplateDescriptor,
  ToolDescriptor,
} from '@mcpmx/core';

export interface ServerCapabilitySet {
  tools: readonly ToolDescriptor[];
  resources: readonly ResourceDescriptor[];
  resourceTemplates: readonly ResourceTemplateDescriptor[];
  prompts: readonly PromptDescriptor[];
}

export function emptyCapabilities(): ServerCapabilitySet {
  return { tools: [], resources: [], resourceTemplates: [], prompts: [] };
}

/** The key an item is indexed by: a name, a URI or a URI template. */
export function capabilityKey(kind: CapabilityKind, item: unknown): string {
  const record = item as { name?: string; uri?: string; uriTemplate?: string };
  if (kind === 'resources') return record.uri ?? '';
  if (kind === 'resourceTemplates') return record.uriTemplate ?? '';
  return record.name ?? '';
}

/**
 * Name (or URI) → the servers that offer it, per kind. Kept up to date incrementally, so a
 * lookup is one Map read.
 */
export class CapabilityIndex {
  private readonly index: Record<CapabilityKind, Map<string, Set<string>>> = {
    tools: new Map(),
    resources: new Map(),
    resourceTemplates: new Map(),
    prompts: new Map(),
  };

  lookup(kind: CapabilityKind, key: string): string[] {
    return [...(this.index[kind].get(key) ?? [])];
  }

  /** Replaces `server`'s keys of `kind`; returns what was added and removed. */
  replace(
    kind: CapabilityKind,
    server: string,
    before: readonly string[],
    after: readonly string[],
  ): { added: string[]; removed: string[] } {
    const map = this.index[kind];
    const next = new Set(after);
    const previous = new Set(before);
    const removed = [...previous].filter((key) => !next.has(key));
    const added = [...next].filter((key) => !previous.has(key));
    for (const key of removed) {
      const servers = map.get(key);
      servers?.delete(server);
      if (servers?.size === 0) map.delete(key);
    }
    for (const key of added) {
      const servers = map.get(key) ?? new Set<string>();
      servers.add(server);
      map.set(key, servers);
    }
    return { added, removed };
  }
}
