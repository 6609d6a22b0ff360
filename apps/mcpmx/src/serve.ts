import { createMultiServerClient } from '@mcpmx/client';
import { closeOnSignals } from '@mcpmx/pool';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createGatewayServer } from './gateway.js';

export interface ServeOptions {
  config: string;
  /** Where diagnostics go; never stdout, which carries the protocol. */
  log?: (line: string) => void;
}

/**
 * `mcpmx serve --config <file>` over stdio: one MCP server in front of every configured
 * server, for MCP hosts (Claude Desktop, Cursor, ...). `${NAME}` in the config comes from the
 * environment. Ends, closing every upstream session and process, when stdin closes or on a signal.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`mcpmx: ${line}\n`));
  const client = createMultiServerClient({ config: options.config, env: process.env });
  client.on('error', ({ error, server }) => log(`${server ? `${server}: ` : ''}${error.message}`));
  const stopSignals = closeOnSignals(client);
  await client.start();
  log(
    `serving ${client.listTools().length} tools from ${client.servers().length} servers on stdio`,
  );
  const gateways: (() => void)[] = [];
  const handle = serveStdio(() => {
    const { server, detach } = createGatewayServer(client);
    gateways.push(detach);
    return server;
  });
  await new Promise<void>((resolve) => process.stdin.once('close', resolve));
  stopSignals();
  for (const detach of gateways) detach();
  await handle.close();
  await client.close();
}
