import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendantPids, testServers } from '@mcpmx/tooling-test-servers';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const text = (result: { content: unknown[] }) =>
  (result.content[0] as { text?: string } | undefined)?.text;

describe('mcpmx serve over stdio (the built bin, driven by an SDK client)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-serve-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('federates three upstream servers and routes calls to each', async () => {
    const fault = (env: Record<string, string> = {}) => ({
      command: process.execPath,
      args: [testServers.fault],
      env,
    });
    const config = join(dir, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: {
          alpha: fault(),
          beta: fault(),
          gamma: fault({ FAULT_TOOL_PREFIX: 'g_' }),
        },
      }),
    );
    const before = descendantPids();
    const client = new Client({ name: 'gateway-test', version: '0.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli, 'serve', '--config', config],
        stderr: 'pipe',
      }),
    );
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['alpha__echo', 'beta__echo', 'g_echo']));
      expect(
        text(await client.callTool({ name: 'alpha__echo', arguments: { message: 'a' } })),
      ).toBe('Echo: a');
      expect(text(await client.callTool({ name: 'beta__echo', arguments: { message: 'b' } }))).toBe(
        'Echo: b',
      );
      expect(text(await client.callTool({ name: 'g_echo', arguments: { message: 'g' } }))).toBe(
        'Echo: g',
      );
      const unknown = await client.callTool({ name: 'nope', arguments: {} });
      expect(unknown.isError).toBe(true);
      expect(text(unknown)).toContain('Unknown tool "nope"');
    } finally {
      await client.close();
    }
    // The SDK's close waits for the gateway to exit, and the gateway closes its three
    // upstream processes before it exits: nothing is left.
    expect(descendantPids()).toEqual(before);
  });

  it('logs each reload: servers added and removed, tools renamed (was: nothing)', async () => {
    const fault = (env: Record<string, string> = {}) => ({
      command: process.execPath,
      args: [testServers.fault],
      env,
    });
    // alpha's tools are named like beta's prefixed ones: when beta joins and its echo must be
    // prefixed (gamma holds "echo"), beta's own prefix wins and alpha's tools are renamed.
    const alpha = fault({ FAULT_TOOL_PREFIX: 'beta__' });
    const config = join(dir, 'mcp.json');
    await writeFile(config, JSON.stringify({ mcpServers: { alpha, gamma: fault() } }));
    const client = new Client({ name: 'reload-test', version: '0.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'serve', '--config', config],
      stderr: 'pipe',
    });
    let log = '';
    const waiters: { pattern: RegExp; resolve: () => void }[] = [];
    transport.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      for (const waiter of waiters.splice(0)) {
        if (waiter.pattern.test(log)) waiter.resolve();
        else waiters.push(waiter);
      }
    });
    const logged = (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        if (pattern.test(log)) resolve();
        else waiters.push({ pattern, resolve });
      });
    await client.connect(transport);
    try {
      await logged(/serving \d+ tools from 2 servers/);
      expect(log).not.toContain('reload:');

      await writeFile(
        config,
        JSON.stringify({ mcpServers: { alpha, gamma: fault(), beta: fault() } }),
      );
      await logged(/reload: server "beta" added/);
      await logged(
        /reload: tool "beta__echo" of server "alpha" renamed: "beta__echo" is now "alpha__beta__echo_[0-9a-f]{8}"/,
      );
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['echo', 'beta__echo']));
      const still = await client.callTool({ name: 'echo', arguments: { message: 'gamma still' } });
      expect(text(still)).toBe('Echo: gamma still');
      // The gateway passes on which server and replica answered, in _meta.
      expect(still._meta).toMatchObject({
        'io.mcpmx/server': 'gamma',
        'io.mcpmx/replica': 'gamma#0',
      });

      await writeFile(config, JSON.stringify({ mcpServers: { alpha, beta: fault() } }));
      await logged(/reload: server "gamma" removed/);
      expect(log.match(/reload: server "beta" added/g)).toHaveLength(1);
    } finally {
      await client.close();
    }
  }, 60_000);
});
