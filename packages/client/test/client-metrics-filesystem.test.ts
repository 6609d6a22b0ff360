import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetrics } from '@mcpmx/metrics';
import { referenceServers } from '@mcpmx/tooling-test-servers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMultiServerClient, type MultiServerClient } from '../src/index.js';
import { faultReplica, testPool, text } from './helpers.js';

describe('MultiServerClient with server-filesystem and server-memory, and metrics attached', () => {
  let dir: string;
  let client: MultiServerClient | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-fs-'));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('federates server-filesystem and server-memory from an mcpServers config and reads a file', async () => {
    await writeFile(join(dir, 'note.txt'), 'hello from the filesystem server');
    client = createMultiServerClient({
      config: {
        mcpServers: {
          files: { command: process.execPath, args: [referenceServers.filesystem, '${DIR}'] },
          memory: {
            command: process.execPath,
            args: [referenceServers.memory],
            env: { MEMORY_FILE_PATH: '${DIR}/memory.jsonl' },
          },
        },
      },
      env: { DIR: dir },
      pool: testPool,
    });
    await client.start();
    const names = client.listTools().map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(['read_text_file', 'list_directory', 'read_graph']),
    );
    const read = await client.callTool('read_text_file', { path: join(dir, 'note.txt') });
    expect(text(read)).toContain('hello from the filesystem server');
    expect(client.catalog().resolveTool('read_graph')?.server).toBe('memory');
  });

  it('metrics count requests by server and outcome, read gauges at scrape time, and detach on close', async () => {
    client = createMultiServerClient({ endpoints: [faultReplica('fault', 0)], pool: testPool });
    const metrics = createMetrics({
      events: client,
      snapshot: () => (client as MultiServerClient).telemetry(),
    });
    await client.start();
    await client.callTool('echo', { message: 'a' });
    await client.callTool('echo', { message: 'b' });
    await client.callTool('fail', {});
    const text = await metrics.metrics();
    expect(text).toMatch(
      /mcpmx_requests_total\{[^}]*server="fault"[^}]*outcome="success"[^}]*\} [3-9]/,
    );
    expect(text).toMatch(/mcpmx_request_duration_seconds_bucket\{/);
    expect(text).toMatch(/mcpmx_replicas\{status="up"\} 1/);
    metrics.close();
  });
});
