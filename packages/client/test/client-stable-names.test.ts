import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceServers, testServers } from '@mcpmx/tooling-test-servers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientEvents, MultiServerClient } from '../src/index.js';
import { clientsClosedAfterEach, testPool, text } from './helpers.js';

const fault = { command: process.execPath, args: [testServers.fault] };
const everything = { command: process.execPath, args: [referenceServers.everything, 'stdio'] };

/** Resolves with the first catalog-changed event that `matches`. */
const catalogChange = (
  client: MultiServerClient,
  matches: (change: ClientEvents['catalog-changed']) => boolean,
) =>
  new Promise<ClientEvents['catalog-changed']>((resolve) => {
    const stop = client.on('catalog-changed', (change) => {
      if (matches(change)) {
        stop();
        resolve(change);
      }
    });
  });

describe('stable names under prefix-on-conflict (bug: a server added live renamed echo)', () => {
  const make = clientsClosedAfterEach();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-stable-names-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a server added to the config file keeps echo with its owner; the newcomer is prefixed', async () => {
    const path = join(dir, 'mcp.json');
    await writeFile(path, JSON.stringify({ mcpServers: { fault } }));
    const client = make({ config: path, pool: testPool });
    await client.start();
    expect(client.catalog().resolveTool('echo')?.server).toBe('fault');

    const added = catalogChange(client, (change) => change.added.includes('everything'));
    await writeFile(path, JSON.stringify({ mcpServers: { fault, everything } }));
    const change = await added;
    expect(change.servers).toEqual(['everything', 'fault']);
    expect(change.renamed).toEqual([]);

    // The agent that held "echo" still reaches the same server with it.
    const names = client.listTools().map((tool) => tool.name);
    expect(names).toContain('echo');
    expect(names).toContain('everything__echo');
    expect(names).not.toContain('fault__echo');
    expect(client.catalog().resolveTool('echo')?.server).toBe('fault');
    expect(client.catalog().resolveTool('everything__echo')?.server).toBe('everything');
    expect(text(await client.callTool('echo', { message: 'still here' }))).toBe('Echo: still here');

    // The owner leaves: the newcomer keeps its prefixed name (an agent may hold it now).
    const removed = catalogChange(client, (change) => change.removed.includes('fault'));
    await writeFile(path, JSON.stringify({ mcpServers: { everything } }));
    expect((await removed).renamed).toEqual([]);
    expect(client.catalog().resolveTool('everything__echo')?.server).toBe('everything');
    expect(client.catalog().resolveTool('echo')).toBeUndefined();
  });

  it('both servers in the config at start: names are computed afresh, both prefixed', async () => {
    const path = join(dir, 'mcp.json');
    await writeFile(path, JSON.stringify({ mcpServers: { fault, everything } }));
    const client = make({ config: path, pool: testPool });
    await client.start();
    const names = client.listTools().map((tool) => tool.name);
    expect(names).toContain('fault__echo');
    expect(names).toContain('everything__echo');
    expect(names).not.toContain('echo');
  });
});
