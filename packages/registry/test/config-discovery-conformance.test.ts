import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DiscoveryHarness,
  describeDiscoveryConformance,
  type FixtureEndpoint,
} from '@mcpmx/discovery-conformance';
import { createConfigDiscovery } from '../src/index.js';

/** The suite's endpoints as an mcpServers config: one server per name, one replica each. */
function configOf(endpoints: readonly FixtureEndpoint[], extra: Record<string, unknown> = {}) {
  const servers: Record<string, { replicas: unknown[] }> = {};
  for (const endpoint of endpoints) {
    servers[endpoint.server] ??= { replicas: [] };
    servers[endpoint.server]?.replicas.push({
      url: `http://${endpoint.host}:${endpoint.port}/mcp`,
      weight: endpoint.weight,
      tags: endpoint.tags,
    });
  }
  return JSON.stringify({ mcpServers: { ...servers, ...extra } }, null, 2);
}

async function createHarness(): Promise<DiscoveryHarness> {
  const directory = await mkdtemp(join(tmpdir(), 'mcpmx-config-conformance-'));
  const path = join(directory, 'mcp.json');
  let text = configOf([]);
  return {
    createDiscovery: () => createConfigDiscovery({ path, debounceMs: 20 }),
    async publish(endpoints) {
      text = configOf(endpoints);
      await writeFile(path, text);
    },
    // A config file is validated as a whole: a bad entry rejects the edit, the last set stays.
    malformedRecords: 'reject',
    async publishMalformed() {
      const published = JSON.parse(text) as { mcpServers: Record<string, unknown> };
      text = JSON.stringify({
        mcpServers: { ...published.mcpServers, 'broken-record': { url: 'not a url' } },
      });
      await writeFile(path, text);
      return 'broken-record';
    },
    // The file is the source: removed, it cannot be read; written back, it is there again.
    breakSource: () => rm(path, { force: true }),
    restoreSource: () => writeFile(path, text),
    close: () => rm(directory, { recursive: true, force: true }),
  };
}

describeDiscoveryConformance('config file', createHarness, { updateTimeoutMs: 5_000 });
