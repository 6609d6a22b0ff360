import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnknownToolError } from '@mcpmx/core';
import { referenceServers } from '@mcpmx/tooling-test-servers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientEvents, MultiServerClient } from '../src/index.js';
import { clientsClosedAfterEach, testPool, text } from './helpers.js';

// Issue 18: per-server allow/deny and overrides, applied in the catalog so everything agrees,
// and searchTools over what callers see. Real servers: server-everything and server-memory.
const everything = { command: process.execPath, args: [referenceServers.everything, 'stdio'] };
const memory = { command: process.execPath, args: [referenceServers.memory] };

const next = <K extends keyof ClientEvents>(client: MultiServerClient, event: K) =>
  new Promise<ClientEvents[K]>((resolve) => {
    const stop = client.on(event, (payload) => {
      stop();
      resolve(payload as ClientEvents[K]);
    });
  });

describe('tool filters, overrides and search', () => {
  const make = clientsClosedAfterEach();
  let dir: string;
  let memoryFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-tool-policy-'));
    memoryFile = join(dir, 'memory.jsonl');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const config = (everythingSettings: Record<string, unknown> = {}) =>
    JSON.stringify({
      mcpServers: {
        everything: { ...everything, ...everythingSettings },
        memory: { ...memory, env: { MEMORY_FILE_PATH: memoryFile } },
      },
    });

  it('a denied tool is not listed, not found and not sent; allow narrows; a typo is a warning', async () => {
    const path = join(dir, 'mcp.json');
    await writeFile(
      path,
      config({ tools: { allow: ['echo', 'get-*', 'gte-*'], deny: ['get-env'] } }),
    );
    const client = make({ config: path, pool: testPool });
    const warned = next(client, 'warning');
    const sent: string[] = [];
    client.on('request-end', ({ target }) => target && sent.push(target));
    await client.start();
    const names = client.listTools().map((tool) => tool.name);
    expect(names).toContain('echo');
    expect(names).toContain('get-sum');
    expect(names).not.toContain('get-env'); // denied
    expect(names).not.toContain('toggle-simulated-logging'); // not allowed
    expect(names).toContain('read_graph'); // memory has no policy
    await expect(client.callTool('get-env')).rejects.toSatisfy((error) =>
      UnknownToolError.isInstance(error),
    );
    expect(sent).not.toContain('get-env');
    expect(await warned).toMatchObject({
      server: 'everything',
      warnings: ['tools.allow: "gte-*" matches nothing the server lists'],
    });
    const snapshot = client.snapshot().servers.find((server) => server.name === 'everything');
    expect(snapshot?.warnings).toEqual(['tools.allow: "gte-*" matches nothing the server lists']);
    // Search sees what callers see: the denied tool is not found.
    const found = await client.searchTools('show the environment variables');
    expect(found.map((result) => result.name)).not.toContain('get-env');
  });

  it('an override renames and re-describes a tool; calls reach the server under its own name', async () => {
    const client = make({
      endpoints: [
        { id: 'everything#0', server: 'everything', transport: { type: 'stdio', ...everything } },
      ],
      servers: {
        everything: {
          overrides: {
            echo: {
              name: 'say',
              description: 'Says it back.',
              annotations: { idempotentHint: true },
            },
          },
        },
      },
      pool: testPool,
    });
    await client.start();
    const say = client.listTools().find((tool) => tool.name === 'say');
    expect(say).toMatchObject({
      description: 'Says it back.',
      annotations: { idempotentHint: true },
    });
    expect(client.listTools().some((tool) => tool.name === 'echo')).toBe(false);
    expect(text(await client.callTool('say', { message: 'hi' }))).toBe('Echo: hi');
    expect(client.catalog().resolveTool('say')).toMatchObject({
      server: 'everything',
      name: 'echo',
    });
  });

  it('a config reload that changes a filter applies at once, without asking the server again', async () => {
    const path = join(dir, 'mcp.json');
    await writeFile(path, config());
    const client = make({ config: path, pool: testPool });
    await client.start();
    expect(client.listTools().some((tool) => tool.name === 'get-sum')).toBe(true);
    const changed = next(client, 'catalog-changed');
    await writeFile(path, config({ tools: { deny: ['get-sum'] } }));
    await changed;
    expect(client.listTools().some((tool) => tool.name === 'get-sum')).toBe(false);
    await expect(client.callTool('get-sum', { a: 1, b: 2 })).rejects.toSatisfy((error) =>
      UnknownToolError.isInstance(error),
    );
  });

  it("searchTools ranks real servers' tools for a task, by server and with a limit", async () => {
    const path = join(dir, 'mcp.json');
    await writeFile(path, config());
    const client = make({ config: path, pool: testPool });
    await client.start();
    const [sum] = await client.searchTools('the sum of two numbers');
    expect(sum).toMatchObject({ name: 'get-sum', server: 'everything' });
    const [forget] = await client.searchTools('forget an entity in my knowledge graph');
    expect(forget).toMatchObject({ name: 'delete_entities', server: 'memory' });
    const onlyMemory = await client.searchTools('add', { servers: ['memory'], limit: 2 });
    expect(onlyMemory.length).toBeLessThanOrEqual(2);
    expect(onlyMemory.every((result) => result.server === 'memory')).toBe(true);
    // What it returns can be called as it is.
    expect(text(await client.callTool(sum?.name as string, { a: 2, b: 3 }))).toContain('5');
    await expect(client.searchTools('x', { limit: 0 })).rejects.toThrow(/limit/);
  });

  it('searchTools before start() and after close() says so', async () => {
    const client = make({ endpoints: [], pool: testPool });
    await expect(client.searchTools('anything')).rejects.toThrow(/start\(\)/);
    await client.start();
    await client.close();
    await expect(client.searchTools('anything')).rejects.toThrow(/close/);
  });
});
