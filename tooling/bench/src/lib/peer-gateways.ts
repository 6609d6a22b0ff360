import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort, startChildServer } from '@mcpmx/tooling-test-servers';
import { startGateway } from './gateway-process.js';
import { everythingCommand } from './measure.js';

/** A gateway (or the upstream itself) that SDK clients reach over Streamable HTTP. */
export interface HttpTarget {
  /** The Streamable HTTP endpoint (`…/mcp`). */
  readonly url: string;
  /** The process whose CPU time counts as the gateway's (not its stdio children). */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** The command line that starts server-everything over stdio, as one shell-free string. */
function everythingLine(): string {
  const { command, args } = everythingCommand();
  return [command, ...args].join(' ');
}

/** `mcpmx serve --http` fronting the given config's servers. */
export async function mcpmxGateway(servers: Record<string, unknown>): Promise<HttpTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpmx-gateway-cost-'));
  const config = join(dir, 'mcp.json');
  await writeFile(config, JSON.stringify({ mcpServers: servers }));
  const gateway = await startGateway(config);
  return {
    url: `${gateway.url}/mcp`,
    pid: gateway.pid,
    close: async () => {
      await gateway.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** mcpmx fronting server-everything over stdio. */
export function mcpmxOverStdio(): Promise<HttpTarget> {
  const { command, args } = everythingCommand();
  return mcpmxGateway({ everything: { command, args } });
}

/**
 * supergateway (npm `supergateway`) bridging server-everything over stdio to Streamable HTTP,
 * stateful (its stateless mode starts a server process per request).
 */
export async function supergateway(): Promise<HttpTarget> {
  const port = await getFreePort();
  const server = await startChildServer({
    script: require.resolve('supergateway/dist/index.js'),
    args: [
      '--stdio',
      everythingLine(),
      '--outputTransport',
      'streamableHttp',
      '--stateful',
      '--port',
      String(port),
      // "none" hides the line that says it listens; later lines are read and dropped.
      '--logLevel',
      'info',
    ],
    ready: /Listening on port/,
    port,
    url: (p) => `http://127.0.0.1:${p}/mcp`,
  });
  return { url: server.url, pid: server.pid, close: () => server.close() };
}

/** mcp-proxy (npm `mcp-proxy`) serving server-everything over stdio as Streamable HTTP. */
export async function mcpProxy(): Promise<HttpTarget> {
  const port = await getFreePort();
  const { command, args } = everythingCommand();
  const server = await startChildServer({
    script: require.resolve('mcp-proxy/dist/bin/mcp-proxy.mjs'),
    args: [
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--server',
      'stream',
      '--',
      command,
      ...args,
    ],
    ready: /starting server on port/,
    port,
    url: (p) => `http://127.0.0.1:${p}/mcp`,
  });
  return { url: server.url, pid: server.pid, close: () => server.close() };
}

/** User + system CPU time of one process so far, in µs (Linux /proc; 10 ms resolution). */
export function processCpuMicros(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses: utime is the 14th
    // field of the line and stime the 15th, in clock ticks (100 per second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks * 10_000;
  } catch {
    return Number.NaN;
  }
}
