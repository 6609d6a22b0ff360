import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultHttpServer, testServers } from '@mcpmx/tooling-test-servers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MultiServerClient } from '../src/index.js';
import { clientsClosedAfterEach, faultReplica, testPool, text } from './helpers.js';

const pidOf = async (client: MultiServerClient) => {
  const result = await client.callTool('stats', {});
  return (result.structuredContent as { pid: number }).pid;
};

/** Resolves on the next set the config source yields (the watcher saw the new file). */
const nextReload = (client: MultiServerClient) =>
  new Promise<void>((resolve) => {
    const stop = client.on('discovery-update', (update) => {
      if (update.source.startsWith('config')) {
        stop();
        resolve();
      }
    });
  });

describe('MultiServerClient: replicas that change under it (bug: an edited server vanished)', () => {
  const make = clientsClosedAfterEach();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-changes-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("editing a stdio server's command in the config file replaces it in place", async () => {
    const path = join(dir, 'mcp.json');
    const config = (command: string) =>
      JSON.stringify({ mcpServers: { fault: { command, args: [testServers.fault] } } });
    await writeFile(path, config('node'));
    const client = make({ config: path, pool: testPool });
    await client.start();
    expect(text(await client.callTool('echo', { message: 'before' }))).toBe('Echo: before');
    const before = await pidOf(client);

    const reloaded = nextReload(client);
    await writeFile(path, config(process.execPath));
    await reloaded;

    expect(client.servers()).toEqual(['fault']);
    expect(client.listTools().map((tool) => tool.name)).toContain('echo');
    expect(text(await client.callTool('echo', { message: 'after' }))).toBe('Echo: after');
    expect(await pidOf(client)).not.toBe(before); // a new process, from the new command
    expect(client.snapshot().servers[0]?.replicas.map((replica) => replica.transport)).toEqual([
      `stdio:${process.execPath}`,
    ]);
  });

  it("editing an HTTP server's URL moves its calls to the new URL", async () => {
    const [first, second] = await Promise.all([startFaultHttpServer(), startFaultHttpServer()]);
    try {
      const path = join(dir, 'mcp.json');
      const config = (url: string) => JSON.stringify({ mcpServers: { web: { url } } });
      await writeFile(path, config(first.url));
      const client = make({ config: path, pool: testPool });
      await client.start();
      expect(await pidOf(client)).toBe(first.pid);

      const reloaded = nextReload(client);
      await writeFile(path, config(second.url));
      await reloaded;

      expect(client.servers()).toEqual(['web']);
      expect(await pidOf(client)).toBe(second.pid);
      expect(client.listTools().length).toBeGreaterThan(0);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('a replica that moves to another server leaves the old one and serves the new one', async () => {
    const client = make({ endpoints: [faultReplica('a', 0)], pool: testPool });
    await client.start();
    expect(client.servers()).toEqual(['a']);
    const moved = new Promise<void>((resolve) => {
      const stop = client.on('catalog-changed', ({ servers }) => {
        if (servers.includes('b')) {
          stop();
          resolve();
        }
      });
    });
    // The same replica id, now under server "b" (as a discovery source that keeps ids may say).
    client.registry.applySet({
      source: 'static',
      endpoints: [{ ...faultReplica('a', 0), server: 'b' }],
      skipped: [],
      at: Date.now(),
    });
    expect(client.servers()).toEqual(['b']);
    await moved;
    expect(client.catalog().serversWithTool('echo')).toEqual(['b']);
    expect(text(await client.callTool('echo', { message: 'moved' }))).toBe('Echo: moved');
    expect(client.snapshot().servers.map((server) => server.name)).toEqual(['b']);
  });
});
