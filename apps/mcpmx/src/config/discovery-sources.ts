import type { ConfigIssue, Discovery } from '@mcpmx/core';
import { createConsulDiscovery } from '@mcpmx/discovery-consul';
import { createDnsDiscovery } from '@mcpmx/discovery-dns';
import { createEtcdDiscovery } from '@mcpmx/discovery-etcd';
import type { DiscoveryBlock } from '@mcpmx/registry';

type Factory = (options: never) => Discovery;

/** The discovery packages a config's `discovery` blocks may name, by `type`. */
export const DISCOVERY_TYPES: Readonly<Record<string, Factory>> = {
  dns: createDnsDiscovery as Factory,
  consul: createConsulDiscovery as Factory,
  etcd: createEtcdDiscovery as Factory,
};

/**
 * Creates a discovery source for each `discovery` block, e.g.
 * `{ "type": "dns", "name": "_mcp._tcp.example.internal", "server": "search" }`. The other keys
 * are the package's options; a package's own option errors are reported under the block's path.
 * Nothing is started here.
 */
export function discoverySourcesFromBlocks(
  blocks: readonly DiscoveryBlock[],
  issues: ConfigIssue[],
): Discovery[] {
  const sources: Discovery[] = [];
  blocks.forEach((block, index) => {
    const path = `discovery[${index}]`;
    const { type, ...options } = block;
    const create = DISCOVERY_TYPES[type];
    if (!create) {
      issues.push({
        path: `${path}.type`,
        expected: `one of ${Object.keys(DISCOVERY_TYPES)
          .map((name) => `"${name}"`)
          .join(', ')}`,
        found: type,
      });
      return;
    }
    try {
      sources.push(create(options as never));
    } catch (error) {
      // The package's message names the option and what it expected.
      issues.push({
        path,
        expected: `valid ${type} discovery options (${(error as Error).message})`,
        found: options,
      });
    }
  });
  return sources;
}
