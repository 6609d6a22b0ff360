import { readFileSync } from 'node:fs';
import { faultServerScript } from '@mcpmx/fault-server';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';

// The stdio fault server, the way the demo and a chaos drill run it: its own process, spoken to
// by a real @modelcontextprotocol/client session. The protocol faults (hang, malformed, flood)
// over stdio and HTTP are shown in tooling/test-servers/test/fault-commands.test.ts.

const text = (result: { content?: unknown }) =>
  (result.content as { text?: string }[] | undefined)?.[0]?.text;

describe('the stdio fault server', () => {
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  async function connect(env: Record<string, string> = {}) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [faultServerScript],
      env: { PATH: process.env.PATH ?? '', ...env },
      stderr: 'pipe',
    });
    const client = new Client(
      { name: 'fault-server-test', version: '1.0.0' },
      { capabilities: {} },
    );
    clients.push(client);
    await client.connect(transport);
    return { client, transport };
  }

  it('is the package bin, and an executable script', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { bin: Record<string, string> };
    expect(new URL(`../${manifest.bin['mcpmx-fault-server']}`, import.meta.url).pathname).toBe(
      faultServerScript,
    );
    expect(readFileSync(faultServerScript, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('reports FAULT_NAME, lists its tools and answers them', async () => {
    const { client } = await connect({ FAULT_NAME: 'flaky-0' });
    expect(client.getServerVersion()?.name).toBe('flaky-0');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['echo', 'slow', 'fail', 'crash', 'count', 'stats', 'hang', 'flood']),
    );
    expect(tools.find((tool) => tool.name === 'echo')?.annotations?.readOnlyHint).toBe(true);
    expect(tools.find((tool) => tool.name === 'count')?.annotations?.idempotentHint).toBe(false);

    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toBe(
      'Echo: hi',
    );
    const failed = await client.callTool({ name: 'fail', arguments: { message: 'nope' } });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toBe('nope');
    await client.callTool({ name: 'count', arguments: { key: 'a' } });
    expect(text(await client.callTool({ name: 'count', arguments: { key: 'a' } }))).toBe('2');
    const stats = (await client.callTool({ name: 'stats', arguments: {} })).structuredContent as {
      executions: Record<string, number>;
      counters: Record<string, number>;
    };
    expect(stats.executions).toMatchObject({ echo: 1, fail: 1, count: 2 });
    expect(stats.counters).toEqual({ a: 2 });
  });

  it('FAULT_TOOL_PREFIX prefixes every tool name', async () => {
    const { client } = await connect({ FAULT_TOOL_PREFIX: 'x_' });
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((tool) => tool.name.startsWith('x_'))).toBe(true);
  });

  it('add-tool registers a tool at run time and announces list_changed', async () => {
    const { client } = await connect();
    const changed = new Promise<void>((resolve) =>
      client.setNotificationHandler('notifications/tools/list_changed', () => resolve()),
    );
    await client.callTool({ name: 'add-tool', arguments: { name: 'late' } });
    await changed;
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('late');
    expect(text(await client.callTool({ name: 'late', arguments: {} }))).toBe('I am late');
  });

  it('crash kills the server process mid-call', async () => {
    const { client, transport } = await connect();
    const pid = transport.pid;
    expect(pid).toBeTypeOf('number');
    const closed = new Promise<void>((resolve) => {
      client.onclose = () => resolve();
    });
    await expect(client.callTool({ name: 'crash', arguments: {} })).rejects.toThrow();
    await closed;
    expect(() => process.kill(pid as number, 0)).toThrow();
  });
});
