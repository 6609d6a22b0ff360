import type { ServerSettings } from '@mcpmx/registry';
import type { ServerCatalog } from './catalog.js';
import { globMatches } from './glob.js';

/** What a server's settings say of its lists: filters by kind, and tool overrides. */
export type ListPolicy = Pick<ServerSettings, 'tools' | 'prompts' | 'resources' | 'overrides'>;
type NameFilter = NonNullable<ListPolicy['tools']>;

/** A server's catalog as callers see it, and what in its policy matched nothing. */
export interface PolicyOutcome {
  catalog: ServerCatalog;
  /** One line per allow/deny pattern or override that matched nothing (a typo guard). */
  unmatched: string[];
}

/**
 * Applies a server's policy to its lists: a tool, prompt or resource (by URI; a template by its
 * URI template) is kept when it matches an `allow` pattern (or there is no `allow`) and no
 * `deny` pattern; a kept tool then takes its override's name, title, description and
 * annotations (merged over the server's). `serverNames` maps each renamed tool back to the name
 * its server knows, which is the name calls use. A server with no policy is returned as it is.
 */
export function applyListPolicy(
  catalog: ServerCatalog,
  policy: ListPolicy | undefined,
): PolicyOutcome {
  if (!policy || (!policy.tools && !policy.prompts && !policy.resources && !policy.overrides)) {
    return { catalog, unmatched: [] };
  }
  const unmatched: string[] = [];
  const tools = filterBy(catalog.tools, (tool) => tool.name, policy.tools, 'tools', unmatched);
  const prompts = filterBy(catalog.prompts, (p) => p.name, policy.prompts, 'prompts', unmatched);
  const resourceNames = [
    ...catalog.resources.map((resource) => resource.uri),
    ...catalog.resourceTemplates.map((template) => template.uriTemplate),
  ];
  const keepResource = decide(policy.resources, resourceNames, 'resources', unmatched);
  const serverNames = new Map<string, string>();
  const overrides = policy.overrides ?? {};
  const listed = new Set(catalog.tools.map((tool) => tool.name));
  for (const name of Object.keys(overrides)) {
    if (!listed.has(name)) unmatched.push(`overrides.${name}: the server lists no tool "${name}"`);
  }
  return {
    catalog: {
      tools: tools.map((tool) => {
        const override = overrides[tool.name];
        if (!override) return tool;
        const renamed = override.name ?? tool.name;
        if (renamed !== tool.name) serverNames.set(renamed, tool.name);
        return {
          ...tool,
          name: renamed,
          ...(override.title !== undefined ? { title: override.title } : {}),
          ...(override.description !== undefined ? { description: override.description } : {}),
          ...(override.annotations !== undefined
            ? { annotations: { ...tool.annotations, ...override.annotations } }
            : {}),
        };
      }),
      prompts,
      resources: catalog.resources.filter((resource) => keepResource(resource.uri)),
      resourceTemplates: catalog.resourceTemplates.filter((template) =>
        keepResource(template.uriTemplate),
      ),
      ...(serverNames.size > 0 ? { serverNames } : {}),
    },
    unmatched,
  };
}

function filterBy<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  filter: NameFilter | undefined,
  kind: string,
  unmatched: string[],
): readonly T[] {
  if (!filter) return items;
  const keep = decide(filter, items.map(nameOf), kind, unmatched);
  return items.filter((item) => keep(nameOf(item)));
}

/** The keep-or-drop rule of one filter, after reporting its patterns that match no name. */
function decide(
  filter: NameFilter | undefined,
  names: readonly string[],
  kind: string,
  unmatched: string[],
): (name: string) => boolean {
  if (!filter) return () => true;
  const { allow, deny = [] } = filter;
  for (const [list, patterns] of [
    ['allow', allow ?? []],
    ['deny', deny],
  ] as const) {
    for (const pattern of patterns) {
      if (!names.some((name) => globMatches(pattern, name))) {
        unmatched.push(`${kind}.${list}: "${pattern}" matches nothing the server lists`);
      }
    }
  }
  return (name) =>
    (allow === undefined || allow.some((pattern) => globMatches(pattern, name))) &&
    !deny.some((pattern) => globMatches(pattern, name));
}
