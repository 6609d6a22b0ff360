import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from './gateway-process.js';
import { runCli } from './run-cli.js';

// Issue 18: `serve --tools lazy` lists search_tools, describe_tool and call_tool (plus pinned
// tools) instead of every tool; what they find and call is the catalog callers see in eager
// mode (filters apply). Through the built bin, over Streamable HTTP, real upstream servers.

const texts = (result: { content?: unknown }) =>
  ((result.content ?? []) as { type: string; text?: string }[])
    .map((part) => part.text ?? '')
    .join('\n');

describe('serve --tools lazy', () => {
  let dir: string;
  let gateway: GatewayProcess;
  let sdk: Client;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-lazy-'));
    gateway = await startGatewayProcess(
      {
        mcpServers: {
          everything: {
            command: process.execPath,
            args: [referenceServers.everything, 'stdio'],
            tools: { deny: ['get-env'] },
          },
          memory: {
            command: process.execPath,
            args: [referenceServers.memory],
            env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
          },
        },
      },
      ['--tools', 'lazy', '--pin', 'echo,no-such-tool'],
    );
    await gateway.waitForOutput(/serving \d+ tools/);
    sdk = new Client({ name: 'lazy-test', version: '0.0.0' });
    await sdk.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
  });
  afterAll(async () => {
    await sdk?.close().catch(() => undefined);
    await gateway?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the three meta-tools and the pinned tools that exist, nothing else', async () => {
    const { tools } = await sdk.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'search_tools',
      'describe_tool',
      'call_tool',
      'echo',
    ]);
  });

  it('search_tools finds a tool for a task; call_tool calls it; describe_tool gives it whole', async () => {
    const found = await sdk.callTool({
      name: 'search_tools',
      arguments: { query: 'the sum of two numbers', limit: 3 },
    });
    const hits = (found.structuredContent as { tools: { name: string; inputSchema: unknown }[] })
      .tools;
    expect(hits[0]?.name).toBe('get-sum');
    expect(hits[0]?.inputSchema).toMatchObject({ type: 'object' });
    expect(hits.length).toBeLessThanOrEqual(3);

    const sum = await sdk.callTool({
      name: 'call_tool',
      arguments: { name: 'get-sum', arguments: { a: 2, b: 3 } },
    });
    expect(texts(sum)).toContain('5');

    const described = await sdk.callTool({ name: 'describe_tool', arguments: { name: 'get-sum' } });
    expect(described.structuredContent).toMatchObject({ tool: { name: 'get-sum' } });

    // A pinned tool is called as it is.
    const echoed = await sdk.callTool({ name: 'echo', arguments: { message: 'pinned' } });
    expect(texts(echoed)).toContain('pinned');
  });

  it('filters apply inside search_tools and call_tool as in eager mode', async () => {
    const found = await sdk.callTool({
      name: 'search_tools',
      arguments: { query: 'environment variables of the server' },
    });
    const names = (found.structuredContent as { tools: { name: string }[] }).tools.map(
      (tool) => tool.name,
    );
    expect(names).not.toContain('get-env');
    const denied = await sdk.callTool({ name: 'call_tool', arguments: { name: 'get-env' } });
    expect(denied.isError).toBe(true);
    expect(texts(denied)).toMatch(/Unknown tool/);
  });

  it('bad meta-tool input is a tool error the model can read', async () => {
    const noQuery = await sdk.callTool({ name: 'search_tools', arguments: {} });
    expect(noQuery.isError).toBe(true);
    expect(texts(noQuery)).toContain('"query"');
    const badLimit = await sdk.callTool({
      name: 'search_tools',
      arguments: { query: 'x', limit: 1000 },
    });
    expect(texts(badLimit)).toContain('"limit"');
    const badArgs = await sdk.callTool({
      name: 'call_tool',
      arguments: { name: 'echo', arguments: 'hi' },
    });
    expect(texts(badArgs)).toContain('"arguments" must be an object');
    const unknown = await sdk.callTool({ name: 'describe_tool', arguments: { name: 'nope' } });
    expect(texts(unknown)).toContain('no tool named "nope"');
  });

  it('a mode other than eager or lazy is refused, naming the flag', async () => {
    const { code, stderr } = await runCli(['serve', '-c', '/nonexistent.json', '--tools', 'lazzy']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('--tools');
    expect(stderr).toContain('"eager" or "lazy"');
  });
});
