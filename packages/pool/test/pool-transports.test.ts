import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ChildServer,
  descendantPids,
  referenceServers,
  startEverythingHttp,
  startWebSocketServer,
} from '@mcpmx/tooling-test-servers';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { everythingStdio, stdioEndpoint, text } from './helpers.js';

describe('pooled sessions over every transport, to real servers', () => {
  const servers: ChildServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('stdio: server-everything echoes, and close() leaves no child process', async () => {
    const before = descendantPids();
    const pool = createSessionPool(everythingStdio());
    const result = await pool.callTool({ name: 'echo', arguments: { message: 'stdio' } });
    expect(text(result)).toBe('Echo: stdio');
    expect(descendantPids().length).toBeGreaterThan(before.length);
    await pool.close();
    expect(descendantPids()).toEqual(before);
  });

  it('stdio: server-memory stores and reads back an entity', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpmx-memory-'));
    const pool = createSessionPool(
      stdioEndpoint(referenceServers.memory, [], { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') }),
    );
    try {
      await pool.callTool({
        name: 'create_entities',
        arguments: {
          entities: [{ name: 'mcpmx', entityType: 'project', observations: ['pools sessions'] }],
        },
      });
      const graph = await pool.callTool({ name: 'read_graph', arguments: {} });
      expect(text(graph)).toContain('pools sessions');
    } finally {
      await pool.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each(['streamableHttp', 'sse'] as const)('%s: server-everything echoes', async (mode) => {
    const server = await startEverythingHttp(mode);
    servers.push(server);
    const pool = createSessionPool({
      id: `http#${mode}`,
      server: 'http',
      transport: { type: mode === 'sse' ? 'sse' : 'streamable-http', url: server.url },
    });
    try {
      const result = await pool.callTool({ name: 'echo', arguments: { message: mode } });
      expect(text(result)).toBe(`Echo: ${mode}`);
      const tools = await pool.listTools();
      expect(tools.tools.map((tool) => tool.name)).toContain('get-sum');
    } finally {
      await pool.close();
    }
  });

  it('websocket: the fault server echoes over subprotocol mcp', async () => {
    const server = await startWebSocketServer();
    servers.push(server);
    const pool = createSessionPool({
      id: 'ws#0',
      server: 'ws',
      transport: { type: 'websocket', url: server.url },
    });
    try {
      const result = await pool.callTool({ name: 'echo', arguments: { message: 'ws' } });
      expect(text(result)).toBe('Echo: ws');
    } finally {
      await pool.close();
    }
  });
});
