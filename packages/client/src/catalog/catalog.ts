import type {
  PromptDescriptor,
  ResourceDescriptor,
  ResourceTemplateDescriptor,
  ToolDescriptor,
} from '@mcpmx/core';
import {
  assignFederatedNames,
  type NameOwner,
  type NamingOptions,
  resolveNaming,
} from './federated-names.js';
import { compileUriTemplate, type UriTemplateMatcher } from './uri-template.js';

/** What one logical server offers. */
export interface ServerCatalog {
  tools: readonly ToolDescriptor[];
  resources: readonly ResourceDescriptor[];
  resourceTemplates: readonly ResourceTemplateDescriptor[];
  prompts: readonly PromptDescriptor[];
  /**
   * Tools listed under a name of the config's (an override), each with the name its server
   * knows: calls use that one. See applyListPolicy.
   */
  serverNames?: ReadonlyMap<string, string>;
}

/** A federated item and where it comes from. */
export interface CatalogEntry<T> {
  /** The name callers use. */
  federatedName: string;
  server: string;
  /** The name the server knows. */
  name: string;
  item: T;
}

/**
 * The merged catalog of many servers: federated tool and prompt names (see
 * assignFederatedNames), resources and templates with the server that owns each URI. Lookups are
 * Map-based, O(1) by name; a URI not listed exactly is matched against the templates.
 */
export interface Catalog {
  readonly tools: readonly ToolDescriptor[];
  readonly prompts: readonly PromptDescriptor[];
  readonly resources: readonly ResourceDescriptor[];
  readonly resourceTemplates: readonly ResourceTemplateDescriptor[];
  resolveTool(federatedName: string): CatalogEntry<ToolDescriptor> | undefined;
  resolvePrompt(federatedName: string): CatalogEntry<PromptDescriptor> | undefined;
  /**
   * The server that owns `uri`: an exact listed resource, else the most specific template (for
   * a URI of at most 8 KiB, see MAX_TEMPLATE_URI_LENGTH).
   */
  resolveResource(uri: string): string | undefined;
  toolNames(): string[];
  promptNames(): string[];
  /** The servers that offer a tool under its own (server-side) name, in name order. */
  serversWithTool(name: string): readonly string[];
  /** A server's own tool, by its server-side name. */
  serverTool(server: string, name: string): ToolDescriptor | undefined;
}

interface TemplateRoute {
  server: string;
  pattern: UriTemplateMatcher;
}

/**
 * The federated catalog of the given servers' lists, as the client builds it: names assigned
 * under `naming` (see NamingOptions), resources and templates with their owners. With
 * `previous`, the catalog this one replaces, names in use stay with their holders (see
 * assignFederatedNames). Throws NameConflictError under naming "none" when two servers share a
 * name.
 */
export function buildCatalog(
  servers: ReadonlyMap<string, ServerCatalog>,
  naming: NamingOptions = {},
  previous?: Catalog,
): Catalog {
  const resolved = resolveNaming(naming);
  const tools = federate(
    servers,
    (catalog) => catalog.tools,
    resolved,
    previous && ownersOf(previous.toolNames(), previous.resolveTool),
    (server, name) => servers.get(server)?.serverNames?.get(name),
  );
  const prompts = federate(
    servers,
    (catalog) => catalog.prompts,
    resolved,
    previous && ownersOf(previous.promptNames(), previous.resolvePrompt),
  );

  const resourceOwners = new Map<string, string>();
  const resources: ResourceDescriptor[] = [];
  const templates: TemplateRoute[] = [];
  const resourceTemplates: ResourceTemplateDescriptor[] = [];
  for (const server of [...servers.keys()].sort()) {
    const catalog = servers.get(server) as ServerCatalog;
    for (const resource of catalog.resources) {
      // The first server (by name) to list a URI owns it; the order is stable across refreshes.
      if (resourceOwners.has(resource.uri)) continue;
      resourceOwners.set(resource.uri, server);
      resources.push(resource);
    }
    for (const template of catalog.resourceTemplates) {
      resourceTemplates.push(template);
      const pattern = compileUriTemplate(template.uriTemplate);
      if (pattern) templates.push({ server, pattern });
    }
  }
  templates.sort((a, b) => b.pattern.literalLength - a.pattern.literalLength);
  const offering = new Map<string, string[]>();
  const serverTools = new Map<string, ToolDescriptor>();
  for (const entry of tools.values()) {
    const owners = offering.get(entry.name) ?? [];
    owners.push(entry.server);
    offering.set(entry.name, owners);
    serverTools.set(`${entry.server}\u0000${entry.name}`, entry.item);
  }
  for (const owners of offering.values()) owners.sort();

  return {
    tools: [...tools.values()].map((entry) => ({ ...entry.item, name: entry.federatedName })),
    prompts: [...prompts.values()].map((entry) => ({ ...entry.item, name: entry.federatedName })),
    resources,
    resourceTemplates,
    resolveTool: (name) => tools.get(name),
    resolvePrompt: (name) => prompts.get(name),
    resolveResource: (uri) =>
      resourceOwners.get(uri) ?? templates.find((route) => route.pattern.test(uri))?.server,
    toolNames: () => [...tools.keys()],
    promptNames: () => [...prompts.keys()],
    serversWithTool: (name) => offering.get(name) ?? [],
    serverTool: (server, name) => serverTools.get(`${server}\u0000${name}`),
  };
}

function federate<T extends { name: string }>(
  servers: ReadonlyMap<string, ServerCatalog>,
  items: (catalog: ServerCatalog) => readonly T[],
  naming: Required<NamingOptions>,
  previous: ReadonlyMap<string, NameOwner> | undefined,
  /** The name calls use, when it is not the listed one (a tool renamed by an override). */
  serverNameOf?: (server: string, listedName: string) => string | undefined,
): Map<string, CatalogEntry<T>> {
  const byOwner = new Map<string, T>();
  const owners: NameOwner[] = [];
  for (const [server, catalog] of servers) {
    for (const item of items(catalog)) {
      const key = `${server}\u0000${item.name}`;
      if (byOwner.has(key)) continue; // a server listing one name twice: keep the first
      byOwner.set(key, item);
      owners.push({ server, name: item.name });
    }
  }
  const table = assignFederatedNames(owners, naming, previous);
  const entries = new Map<string, CatalogEntry<T>>();
  for (const [federatedName, owner] of [...table].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const item = byOwner.get(`${owner.server}\u0000${owner.name}`) as T;
    const name = serverNameOf?.(owner.server, owner.name) ?? owner.name;
    entries.set(federatedName, { federatedName, server: owner.server, name, item });
  }
  return entries;
}

function ownersOf(
  names: readonly string[],
  resolve: (name: string) => CatalogEntry<unknown> | undefined,
): Map<string, NameOwner> {
  const owners = new Map<string, NameOwner>();
  for (const name of names) {
    const entry = resolve(name);
    // The listed name (an override's, for a renamed tool), which is what names are assigned from.
    if (entry)
      owners.set(name, { server: entry.server, name: (entry.item as { name: string }).name });
  }
  return owners;
}
