import type { MultiServerClient } from '@mcpmx/client';
import { createClientFromConfig } from './config/load-client.js';
import { redactedWriter } from './output.js';
import { renderTable } from './table.js';

export interface TerminalOptions {
  config: string;
  /** The only variables `${NAME}` in the config may read (names, or patterns such as `API_*`). */
  envAllow?: readonly string[];
  json?: boolean;
  write?: (text: string) => void;
  /** Colour the header when writing to a terminal. Default: stdout is a TTY. */
  colour?: boolean;
}

const bold = (text: string, on: boolean) => (on ? `\x1b[1m${text}\x1b[22m` : text);

async function withClient<T>(
  options: TerminalOptions,
  run: (client: MultiServerClient) => Promise<T>,
): Promise<T> {
  const access = { env: process.env, envAllow: options.envAllow };
  const client = await createClientFromConfig(options.config, access);
  try {
    // A server that is down is reported at once (on stderr, so --json output stays clean) and
    // does not hold up the command; its replicas read `down` in `status`.
    const { failed } = await client.start();
    const warn = redactedWriter(client, (text) => process.stderr.write(`mcpmx: ${text}\n`));
    for (const { server, error } of failed) warn(`${server} is down: ${error.message}`);
    return await run(client);
  } finally {
    await client.close();
  }
}

/** Where a command's output goes: stdout by default, always through the client's redactor. */
const writerOf = (options: TerminalOptions, client: MultiServerClient) =>
  redactedWriter(client, options.write ?? ((text: string) => process.stdout.write(`${text}\n`)));

function output(
  options: TerminalOptions,
  client: MultiServerClient,
  json: unknown,
  headers: string[],
  rows: string[][],
): void {
  const write = writerOf(options, client);
  if (options.json) {
    write(JSON.stringify(json, null, 2));
    return;
  }
  const colour = options.colour ?? process.stdout.isTTY === true;
  const table = renderTable(headers, rows).split('\n');
  write([bold(table[0] ?? '', colour), ...table.slice(1)].join('\n'));
}

const short = (text: string | undefined, max = 60) =>
  !text ? '' : text.length > max ? `${text.slice(0, max - 1)}…` : text.replace(/\s+/g, ' ');

/** `mcpmx tools`: the federated tool list. */
export function listToolsCommand(options: TerminalOptions): Promise<void> {
  return withClient(options, async (client) => {
    const tools = client.listTools().map((tool) => {
      const entry = client.catalog().resolveTool(tool.name);
      return { name: tool.name, server: entry?.server ?? '', description: tool.description ?? '' };
    });
    output(
      options,
      client,
      tools,
      ['tool', 'server', 'description'],
      tools.map((t) => [t.name, t.server, short(t.description)]),
    );
  });
}

/** `mcpmx call <tool> --args <json>`: one routed call; exits non-zero on a tool error. */
export function callCommand(
  options: TerminalOptions & { tool: string; args: string },
): Promise<boolean> {
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(options.args) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`--args must be a JSON object (${(error as Error).message})`);
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new Error(`--args must be a JSON object (got ${options.args})`);
  }
  return withClient(options, async (client) => {
    const result = await client.callTool(options.tool, args);
    const write = writerOf(options, client);
    if (options.json) write(JSON.stringify(result, null, 2));
    else {
      for (const item of result.content as { type: string; text?: string }[]) {
        write(item.type === 'text' ? (item.text ?? '') : `[${item.type}]`);
      }
    }
    return result.isError !== true;
  });
}

/** `mcpmx status`: servers and replicas with status, breaker, in-flight and last error. */
export function statusCommand(options: TerminalOptions): Promise<void> {
  return withClient(options, async (client) => {
    const snapshot = client.snapshot();
    const rows = snapshot.servers.flatMap((server) =>
      server.replicas.map((replica) => [
        server.name,
        replica.id,
        replica.transport,
        replica.status,
        replica.breaker,
        String(replica.inFlight),
        short(replica.lastError ?? (replica.status === 'up' ? '' : replica.statusReason)),
      ]),
    );
    output(
      options,
      client,
      snapshot,
      ['server', 'replica', 'transport', 'status', 'breaker', 'in flight', 'last error'],
      rows,
    );
  });
}
