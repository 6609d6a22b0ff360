import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMultiServerClient } from '@mcpmx/client';
import type { EndpointDescriptor } from '@mcpmx/core';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { everythingCommand, median } from '../lib/measure.js';
import { type BenchOptions, fixed, ratio, type Section } from '../lib/report.js';

export interface StartupOptions extends BenchOptions {
  servers?: number;
}

/** Issue 17: start() over 20 servers within 1.5× the slowest single server's connect time. */
const PARALLEL_TARGET = 1.5;
/** …and the demo's first routed call within 3 s of its launch. */
const DEMO_TARGET_MS = 3000;
/** A server that takes this long to start, waiting rather than computing. */
const SLOW_START_MS = 1000;
const CLI = fileURLToPath(new URL('../../../apps/mcpmx/dist/cli.js', import.meta.url));

interface Fleet {
  label: string;
  command: string;
  args: string[];
}

/**
 * Start-up: how long `start()` of @mcpmx/client takes to have 20 stdio servers connected,
 * against the slowest of several single-server connects and against 20 bare SDK v2 clients
 * connecting at once; for server-everything (whose start is CPU work: 20 of them share this
 * machine's cores) and for server-everything behind a 1 s start delay (start-up that waits, as
 * an `npx` download or a remote dependency does: what only parallel connects hide). Then the
 * demo's time from launch to its first routed call.
 */
export async function startup(options: StartupOptions): Promise<Section> {
  const count = options.servers ?? (options.quick ? 5 : 20);
  const singles = options.quick ? 2 : 5;
  const { command, args } = everythingCommand();
  const fleets: Fleet[] = [
    { label: 'server-everything', command, args },
    {
      label: `server-everything after a ${SLOW_START_MS / 1000} s start delay`,
      command,
      args: [
        '--import',
        `data:text/javascript,await new Promise((r) => setTimeout(r, ${SLOW_START_MS}))`,
        ...args,
      ],
    },
  ];
  const rows: string[][] = [];
  const findings: string[] = [];
  for (const fleet of fleets) {
    const single: number[] = [];
    for (let i = 0; i < singles; i++) single.push(await mcpmxStart(fleet, 1));
    const slowest = Math.max(...single);
    const all = await mcpmxStart(fleet, count);
    const bare = await bareStart(fleet, count);
    rows.push([
      fleet.label,
      `${fixed(median(single))} ms (slowest ${fixed(slowest)} ms)`,
      `${fixed(all)} ms`,
      `${fixed(bare)} ms`,
      ratio(all / slowest),
      ratio(all / bare),
    ]);
    findings.push(
      `${fleet.label}: start() over ${count} servers took ${ratio(all / slowest)}× the slowest ` +
        `single connect (target ≤ ${PARALLEL_TARGET}): ${all / slowest <= PARALLEL_TARGET ? 'met' : 'missed'}; ` +
        `${ratio(all / bare)}× ${count} bare SDK clients connecting at once.`,
    );
  }
  const demo = await demoFirstCall();
  findings.push(
    `The demo (\`mcpmx demo\`, built) reached its first routed call ${fixed(demo)} ms after ` +
      `launch (target < ${DEMO_TARGET_MS} ms): ${demo < DEMO_TARGET_MS ? 'met' : 'missed'}.`,
  );
  return {
    id: 'startup',
    title: 'Start-up: 20 stdio servers at once, and the demo’s first call',
    setup:
      `\`start()\` of \`@mcpmx/client\` over ${count} stdio servers, each its own process, until ` +
      'every one is connected and listed, against the same client over one server ' +
      `(${singles} runs; the slowest counts) and against ${count} bare SDK v2 clients ` +
      'connecting and listing tools at once (`Promise.all`). Two fleets: server-everything, ' +
      `whose start is CPU work (${count} processes share the machine's cores), and ` +
      `server-everything behind a ${SLOW_START_MS / 1000} s start delay (a \`--import\` that ` +
      'waits), whose start is waiting: what only parallel connects hide. Then `mcpmx demo` ' +
      '(built) from launch to its first routed call (its `first routed call` line). Script: ' +
      '`startup.js`.',
    tables: [
      {
        headers: [
          'fleet',
          'one server: start()',
          `${count} servers: start()`,
          `${count} bare SDK clients at once`,
          `${count} servers / slowest single`,
          'mcpmx / bare',
        ],
        rows,
      },
    ],
    findings,
  };
}

/** ms from createMultiServerClient to start() resolving with every server up. */
async function mcpmxStart(fleet: Fleet, count: number): Promise<number> {
  const endpoints: EndpointDescriptor[] = Array.from({ length: count }, (_, i) => ({
    id: `s${i}#0`,
    server: `s${i}`,
    transport: { type: 'stdio', command: fleet.command, args: fleet.args },
  }));
  const started = performance.now();
  const client = createMultiServerClient({
    endpoints,
    pool: { healthCheckIntervalMs: 0 },
    startTimeoutMs: 60_000,
  });
  try {
    const result = await client.start();
    const elapsed = performance.now() - started;
    if (result.failed.length > 0) {
      throw new Error(`startup: ${result.failed.length} of ${count} servers failed to start`);
    }
    return elapsed;
  } finally {
    await client.close();
  }
}

/** ms for `count` bare SDK v2 clients to connect and list tools, all at once. */
async function bareStart(fleet: Fleet, count: number): Promise<number> {
  const clients = Array.from(
    { length: count },
    () => new Client({ name: 'bench-startup', version: '0.0.0' }),
  );
  const started = performance.now();
  try {
    await Promise.all(
      clients.map(async (client) => {
        await client.connect(
          new StdioClientTransport({ command: fleet.command, args: fleet.args, stderr: 'ignore' }),
        );
        await client.listTools();
      }),
    );
    return performance.now() - started;
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  }
}

/**
 * ms from spawning `mcpmx demo --short` to the line it prints once its first routed call has
 * come back; the demo is then stopped with SIGINT (it closes everything it started).
 */
async function demoFirstCall(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'demo', '--short'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  try {
    return await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/first routed call/.test(output)) resolve(performance.now() - started);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`the demo exited (${code}) before its first call: ${output}`)),
      );
    });
  } finally {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
    }
    await exited;
  }
}
