import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalog, fetchServerCatalog, resolveNaming, type ServerCatalog } from '@mcpmx/client';
import { describeTransport, type SessionPool } from '@mcpmx/core';
import { createSessionPool } from '@mcpmx/pool';
import { parseServersConfig } from '@mcpmx/registry';
import { renderTable } from './table.js';

export interface DemoOptions {
  /** Path of an `mcpServers` config file. */
  config: string;
  write?: (text: string) => void;
}

/**
 * The demo: connects to every server in the config, lists their tools and prints the merged
 * list with the server and transport of each tool, then closes everything.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const write = options.write ?? ((text: string) => process.stdout.write(`${text}\n`));
  const text = await readFile(options.config, 'utf8');
  const state = await mkdtemp(join(tmpdir(), 'mcpmx-demo-'));
  const pools: SessionPool[] = [];
  try {
    const { endpoints } = parseServersConfig(text, {
      env: { ...process.env, MCPMX_STATE_DIR: state },
      source: options.config,
    });
    for (const endpoint of endpoints) {
      pools.push(createSessionPool(endpoint, { healthCheckIntervalMs: 0 }));
    }
    write(`mcpmx demo: ${pools.length} servers from ${options.config}\n`);
    const catalogs = new Map<string, ServerCatalog>();
    const results = await Promise.allSettled(
      pools.map(async (pool) => {
        const session = await pool.acquire();
        return fetchServerCatalog(pool.endpoint.server, pool, {
          capabilities: session.serverCapabilities,
        });
      }),
    );
    results.forEach((result, index) => {
      const pool = pools[index];
      if (!pool) return;
      if (result.status === 'fulfilled') catalogs.set(pool.endpoint.server, result.value);
      else write(`! ${pool.endpoint.server}: ${(result.reason as Error).message}`);
    });
    const catalog = buildCatalog(catalogs, resolveNaming());
    const transports = new Map(
      pools.map((pool) => [pool.endpoint.server, describeTransport(pool.endpoint.transport)]),
    );
    const rows = catalog.toolNames().map((name) => {
      const entry = catalog.resolveTool(name);
      return [name, entry?.server ?? '?', transports.get(entry?.server ?? '') ?? '?'];
    });
    write(renderTable(['tool', 'server', 'transport'], rows));
    write(`\n${rows.length} tools from ${catalogs.size} of ${pools.length} servers`);
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
    await rm(state, { recursive: true, force: true });
  }
}
