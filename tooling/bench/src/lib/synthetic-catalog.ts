import type { ToolDescriptor } from '@mcpmx/core';
import { seededRandom } from './measure.js';

/** What the synthetic servers offer: tools only, which is what the catalog bench is about. */
export interface SyntheticServer {
  name: string;
  tools: ToolDescriptor[];
}

export interface SyntheticOptions {
  servers: number;
  toolsPerServer: number;
  /**
   * Give every server some tools from a shared pool of generic names (`search`, `read_file`,
   * ...), so the naming policy has conflicts to resolve. Off for policy `none`, which rejects
   * them: the shared tools are then named per server instead.
   */
  conflicts: boolean;
  seed?: number;
}

const DOMAINS = [
  'github',
  'gitlab',
  'jira',
  'linear',
  'slack',
  'notion',
  'postgres',
  'mysql',
  'redis',
  's3',
  'gcs',
  'kubernetes',
  'docker',
  'sentry',
  'datadog',
  'stripe',
  'salesforce',
  'zendesk',
  'confluence',
  'filesystem',
];
const VERBS = ['get', 'list', 'create', 'update', 'delete', 'search', 'sync', 'export', 'archive'];
const NOUNS = [
  'issue',
  'comment',
  'user',
  'team',
  'project',
  'record',
  'document',
  'table',
  'bucket',
  'object',
  'deployment',
  'alert',
  'invoice',
  'ticket',
  'page',
  'label',
  'webhook',
  'snapshot',
];
/** Generic names many servers offer; each server takes SHARED_PER_SERVER of them. */
const SHARED = [
  'search',
  'fetch',
  'read_file',
  'write_file',
  'list_files',
  'get_status',
  'query',
  'ping',
  'list_resources',
  'get_user',
  'create_issue',
  'list_issues',
  'run_query',
  'get_logs',
  'describe',
  'health',
  'whoami',
  'list_projects',
  'get_config',
  'set_config',
  'upload',
  'download',
  'summarize',
  'translate',
];
const SHARED_PER_SERVER = 8;
/** Names long enough that `<server>__<name>` exceeds 64 characters and gets a hash suffix. */
const LONG_PER_SERVER = 2;
const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'array', 'enum', 'object'] as const;
const WORDS = (
  'the of a to in for and with by from on an is that this as are be which or it at its can ' +
  'returns given matching optional required page cursor limit filter results items when if ' +
  'not found server default timeout status owner repository workspace identifier'
).split(' ');

/**
 * 200 × 50 realistic tool lists, the same on every run (seeded): names in
 * `[a-zA-Z0-9_-]`, descriptions of one to three sentences, input schemas with 1 to 7
 * properties of mixed types (enums, arrays, nested objects), required lists, annotations on
 * most tools and an output schema on some.
 */
export function syntheticServers(options: SyntheticOptions): SyntheticServer[] {
  const random = seededRandom(options.seed ?? 20261125);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const sentence = () => {
    const text = words(6 + Math.floor(random() * 14));
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };

  const schemaOf = (depth: number): Record<string, unknown> => {
    const properties: Record<string, unknown> = {};
    const count = 1 + Math.floor(random() * (depth === 0 ? 7 : 3));
    for (let i = 0; i < count; i++) {
      const type = pick(depth === 0 ? FIELD_TYPES : FIELD_TYPES.slice(0, 4));
      const description = sentence();
      const key = `${pick(NOUNS)}_${pick(['id', 'name', 'limit', 'filter', 'path', 'mode'])}${i}`;
      properties[key] =
        type === 'enum'
          ? { type: 'string', enum: ['asc', 'desc', 'created', 'updated'], description }
          : type === 'array'
            ? { type: 'array', items: { type: 'string' }, description, maxItems: 100 }
            : type === 'object'
              ? { ...schemaOf(depth + 1), description }
              : type === 'integer'
                ? { type, minimum: 0, maximum: 1000, default: 50, description }
                : { type, description };
    }
    const keys = Object.keys(properties);
    return {
      type: 'object',
      properties,
      required: keys.filter(() => random() < 0.4),
      additionalProperties: false,
    };
  };

  const toolOf = (name: string): ToolDescriptor => {
    const readOnly = /^(get|list|search|fetch|read|query|describe|health|whoami|ping)/.test(name);
    const tool: ToolDescriptor = {
      name,
      description: Array.from({ length: 1 + Math.floor(random() * 3) }, sentence).join(' '),
      inputSchema: schemaOf(0) as ToolDescriptor['inputSchema'],
    };
    if (random() < 0.3) tool.title = name.replace(/_/g, ' ');
    if (random() < 0.8) {
      tool.annotations = readOnly
        ? { readOnlyHint: true, openWorldHint: random() < 0.5 }
        : {
            readOnlyHint: false,
            destructiveHint: name.startsWith('delete'),
            idempotentHint: false,
          };
    }
    if (random() < 0.2) tool.outputSchema = schemaOf(1);
    return tool;
  };

  return Array.from({ length: options.servers }, (_, index) => {
    const domain = DOMAINS[index % DOMAINS.length] as string;
    const name = `${domain}-${String(Math.floor(index / DOMAINS.length)).padStart(2, '0')}`;
    const short = name.replace('-', '');
    const names = new Set<string>();
    const shared = [...SHARED].sort(() => random() - 0.5).slice(0, SHARED_PER_SERVER);
    for (const tool of shared) names.add(options.conflicts ? tool : `${short}_${tool}`);
    for (let i = 0; i < LONG_PER_SERVER; i++) {
      names.add(`create_or_update_${short}_${pick(NOUNS)}_protection_rule_with_checks_${i}`);
    }
    while (names.size < options.toolsPerServer) {
      names.add(`${pick(VERBS)}_${short}_${pick(NOUNS)}${names.size}`);
    }
    return { name, tools: [...names].map(toolOf) };
  });
}
