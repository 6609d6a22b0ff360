import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { createMultiServerClient } from '@mcpmx/client';
import type { EndpointDescriptor } from '@mcpmx/core';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as Sdk1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as Sdk1StdioTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as Sdk1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * One client under test, connected and ready: `call(i)` sends the i-th echo of a closed loop
 * (a contender with several servers spreads the calls over them by `i`), `close()` ends it.
 */
export interface Contender {
  call(i: number): Promise<unknown>;
  close(): Promise<void>;
}

/** Where a contender's servers are: stdio commands, or Streamable HTTP URLs (`…/mcp`). */
export type Upstream =
  | { kind: 'stdio'; command: string; args: string[] }
  | { kind: 'http'; url: string };

export const SDK1 = 'bare SDK 1.x';
export const SDK2 = 'bare SDK v2';
export const MCPMX = '@mcpmx/client';
export const LANGCHAIN = '@langchain/mcp-adapters';

const MESSAGE = { message: 'bench' };

/**
 * A bare SDK client (1.x or v2) per upstream. Like any agent (and like the other contenders),
 * each lists the tools before it calls one: the SDK keeps the list to validate results.
 */
export async function bareSdk(version: 1 | 2, upstreams: readonly Upstream[]): Promise<Contender> {
  const calls: (() => Promise<unknown>)[] = [];
  const closers: (() => Promise<void>)[] = [];
  for (const upstream of upstreams) {
    if (version === 1) {
      const client = new Sdk1Client({ name: 'bench-sdk1', version: '0.0.0' });
      await client.connect(
        upstream.kind === 'stdio'
          ? new Sdk1StdioTransport({ ...upstream, stderr: 'ignore' })
          : new Sdk1HttpTransport(new URL(upstream.url)),
      );
      await client.listTools();
      calls.push(() => client.callTool({ name: 'echo', arguments: MESSAGE }));
      closers.push(() => client.close());
    } else {
      const client = new Client({ name: 'bench-sdk2', version: '0.0.0' });
      await client.connect(
        upstream.kind === 'stdio'
          ? new StdioClientTransport({ ...upstream, stderr: 'ignore' })
          : new StreamableHTTPClientTransport(new URL(upstream.url)),
      );
      await client.listTools();
      calls.push(() => client.callTool({ name: 'echo', arguments: MESSAGE }));
      closers.push(() => client.close());
    }
  }
  return {
    call: (i) => (calls[i % calls.length] as () => Promise<unknown>)(),
    close: async () => {
      await Promise.all(closers.map((close) => close().catch(() => undefined)));
    },
  };
}

/**
 * @mcpmx/client over the upstreams. `servers` of them are distinct servers (`s0`, `s1`, …,
 * tools prefixed `s0__echo`) and calls alternate between them; any further upstreams are
 * replicas of the last server, picked by the balancer.
 */
export async function mcpmxClient(
  upstreams: readonly Upstream[],
  options: { servers?: number } = {},
): Promise<Contender> {
  const servers = options.servers ?? 1;
  const endpoints: EndpointDescriptor[] = upstreams.map((upstream, i) => {
    const server = `s${Math.min(i, servers - 1)}`;
    return {
      id: `${server}#${i}`,
      server,
      transport:
        upstream.kind === 'stdio'
          ? { type: 'stdio', command: upstream.command, args: upstream.args }
          : { type: 'streamable-http', url: upstream.url },
    };
  });
  const client = createMultiServerClient({
    endpoints,
    pool: { maxSessions: 1, healthCheckIntervalMs: 0 },
    ...(servers > 1 ? { naming: { policy: 'prefix' as const } } : {}),
  });
  await client.start();
  const names = Array.from({ length: servers }, (_, i) => (servers > 1 ? `s${i}__echo` : 'echo'));
  return {
    call: (i) => client.callTool(names[i % names.length] as string, MESSAGE),
    close: () => client.close(),
  };
}

/** @langchain/mcp-adapters' MultiServerMCPClient (SDK 1.x inside), one server per upstream. */
export async function langchainClient(upstreams: readonly Upstream[]): Promise<Contender> {
  const client = new MultiServerMCPClient({
    mcpServers: Object.fromEntries(
      upstreams.map((upstream, i) => [
        `s${i}`,
        upstream.kind === 'stdio'
          ? { transport: 'stdio' as const, ...upstream, stderr: 'ignore' as const }
          : { transport: 'http' as const, url: upstream.url },
      ]),
    ),
    prefixToolNameWithServerName: upstreams.length > 1,
  });
  const tools = await client.getTools();
  const echoes = upstreams.map((_, i) => {
    const tool = tools.find((candidate) =>
      upstreams.length > 1
        ? candidate.name.includes(`s${i}__`) && candidate.name.endsWith('echo')
        : candidate.name === 'echo',
    );
    if (!tool) throw new Error(`langchain: no echo tool for server s${i}`);
    return tool;
  });
  return {
    call: (i) => (echoes[i % echoes.length] as (typeof echoes)[number]).invoke(MESSAGE),
    close: () => client.close().catch(() => undefined),
  };
}
