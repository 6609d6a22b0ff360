import { ANSWERED_BY, type ClientSnapshot, type MultiServerClient } from '@mcpmx/client';
import { createClientFromConfig } from './config/load-client.js';
import { redactedWriter } from './output.js';
import { renderTable } from './table.js';

export interface TerminalOptions {
  config: string;
  /** The only variables `${NAME}` in the config may read (names, or patterns such as `API_*`). */
  envAllow?: readonly string[];
  json?: boolean;
  write?: (text: string) => void;
  /** Where notes beside the output go (which server answered a call): stderr by default. */
  note?: (text: string) => void;
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
    const note = redactedWriter(
      client,
      options.note ?? ((text: string) => process.stderr.write(`${text}\n`)),
    );
    for (const { server, error } of failed) note(`mcpmx: ${server} is down: ${error.message}`);
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

/**
 * `mcpmx tools`: the federated tool list; with `--json`, each tool's input schema (and output
 * schema, title and annotations when the server gave them) too.
 */
export function listToolsCommand(options: TerminalOptions): Promise<void> {
  return withClient(options, async (client) => {
    const tools = client.listTools().map((tool) => {
      const entry = client.catalog().resolveTool(tool.name);
      return {
        name: tool.name,
        server: entry?.server ?? '',
        serverName: entry?.name ?? tool.name,
        ...(tool.title === undefined ? {} : { title: tool.title }),
        description: tool.description ?? '',
        inputSchema: tool.inputSchema,
        ...(tool.outputSchema === undefined ? {} : { outputSchema: tool.outputSchema }),
        ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
      };
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
    const server = result._meta?.[ANSWERED_BY.server];
    const replica = result._meta?.[ANSWERED_BY.replica];
    if (options.json) write(JSON.stringify({ server, replica, ...result }, null, 2));
    else {
      for (const item of result.content) {
        write(item.type === 'text' ? item.text : `[${item.type}]`);
      }
      const note = redactedWriter(
        client,
        options.note ?? ((text: string) => process.stderr.write(`${text}\n`)),
      );
      note(`answered by server "${String(server)}", replica ${String(replica)}`);
    }
    return result.isError !== true;
  });
}

/**
 * The exit code of `mcpmx status`, for scripts: 0 every replica is up; 2 some server is down
 * (none of its replicas is up or degraded); 3 every server serves, but some replica is not up.
 * (1 is a failed command: a bad config, say.)
 */
export function statusExitCode(snapshot: ClientSnapshot): 0 | 2 | 3 {
  const serving = (status: string) => status === 'up' || status === 'degraded';
  if (snapshot.servers.some((server) => !server.replicas.some((r) => serving(r.status)))) {
    return 2;
  }
  const allUp = snapshot.servers.every((server) => server.replicas.every((r) => r.status === 'up'));
  return allUp ? 0 : 3;
}

/**
 * `mcpmx status`: servers and replicas with status, breaker, in-flight and last error; resolves
 * with the exit code (see statusExitCode).
 */
export function statusCommand(options: TerminalOptions): Promise<0 | 2 | 3> {
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
    return statusExitCode(snapshot);
  });
}
