import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type ChildServer, startChildServer } from '@mcpmx/fault-server';
import { packageRoot } from './conformance-cli.js';

const require = createRequire(import.meta.url);

/**
 * The built mcpmx CLI: apps/mcpmx/dist/cli.js, or the file MCPMX_CONFORMANCE_CLI names (to
 * measure another build of the gateway against the same suite).
 */
export const mcpmxCli =
  process.env.MCPMX_CONFORMANCE_CLI ??
  join(dirname(require.resolve('mcpmx/package.json')), 'dist/cli.js');

/** Starts this package's conformance test server (dist/bin/conformance-server.js). */
export function startConformanceServer(): Promise<ChildServer> {
  return startChildServer({
    script: join(packageRoot, 'dist/bin/conformance-server.js'),
    ready: /listening at http:\/\/127\.0\.0\.1:(\d+)\/mcp/,
    url: (port) => `http://127.0.0.1:${port}/mcp`,
    port: 0,
  });
}

/** A running `mcpmx serve --http` and the config file it was given. */
export interface Gateway {
  readonly url: string;
  close(): Promise<void>;
}

/** What the suite's own client declares, so what the gateway may promise upstream. */
const DOWNSTREAM_CAPABILITIES = 'elicitation,sampling';

/**
 * `--advertise elicitation,sampling` when this mcpmx build has the flag (issue 15's relays: it
 * tells upstreams the gateway can elicit and sample for its downstream clients), else nothing.
 */
async function advertiseArgs(): Promise<string[]> {
  const help = await new Promise<string>((resolve) => {
    execFile(process.execPath, [mcpmxCli, 'serve', '--help'], { timeout: 15_000 }, (_, stdout) =>
      resolve(String(stdout)),
    );
  });
  return help.includes('--advertise') ? ['--advertise', DOWNSTREAM_CAPABILITIES] : [];
}

/**
 * Starts `mcpmx serve --http 0` fronting one upstream over Streamable HTTP, and resolves once
 * it serves (it logs `serving N tools from M servers at <url>/mcp`).
 */
export async function startGateway(upstreamUrl: string): Promise<Gateway> {
  const advertise = await advertiseArgs();
  const dir = await mkdtemp(join(tmpdir(), 'mcpmx-conformance-'));
  const config = join(dir, 'mcp.json');
  await writeFile(
    config,
    JSON.stringify({ mcpServers: { conformance: { type: 'http', url: upstreamUrl } } }),
  );
  let child: ChildServer;
  try {
    child = await startChildServer({
      script: mcpmxCli,
      args: ['serve', '--config', config, '--http', '0', ...advertise],
      ready: /serving \d+ tools? from \d+ servers? at http:\/\/127\.0\.0\.1:(\d+)\/mcp/,
      url: (port) => `http://127.0.0.1:${port}/mcp`,
      port: 0,
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: child.url,
    async close() {
      await child.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The client program the client scenarios run (dist/bin/mcpmx-client.js). */
export const clientCommand = `${process.execPath} ${join(packageRoot, 'dist/bin/mcpmx-client.js')}`;
