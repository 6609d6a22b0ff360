import {
  bareSdk,
  LANGCHAIN,
  langchainClient,
  MCPMX,
  mcpmxClient,
  SDK1,
  SDK2,
  type Upstream,
} from '../lib/contenders.js';
import { everythingCommand } from '../lib/measure.js';
import { type BenchOptions, ratio, type Section, type Table } from '../lib/report.js';
import { runContenders, versus, versusTables } from '../lib/versus.js';

export interface ClientVsSdkOptions extends BenchOptions {
  rounds?: number;
  seconds?: number;
}

const CONCURRENCIES = [1, 16] as const;
/** Issue 17's targets: throughput over SDK 1.x at 1 and at 16 in flight, CPU per call. */
const TARGETS = { 1: 0.95, 16: 1.0 } as const;
const NAMES = [SDK1, SDK2, MCPMX, LANGCHAIN] as const;

/**
 * Echo on server-everything over stdio through a bare SDK 1.x client (the baseline), a bare
 * SDK v2 client, @mcpmx/client (name → server → replica → breaker → balancer → pool) and
 * @langchain/mcp-adapters, each with its own server processes, in interleaved rounds at 1 and
 * 16 in flight: with one server, and with two servers the calls alternate between.
 */
export async function clientVsSdk(options: ClientVsSdkOptions): Promise<Section> {
  const rounds = options.rounds ?? (options.quick ? 1 : 9);
  const durationMs = (options.seconds ?? (options.quick ? 0.5 : 2)) * 1000;
  const warmupMs = options.quick ? 200 : 500;
  const { command, args } = everythingCommand();
  const stdio = (count: number): Upstream[] =>
    Array.from({ length: count }, () => ({ kind: 'stdio', command, args }));
  const schedule = { rounds, durationMs, warmupMs, concurrencies: CONCURRENCIES };

  const scenarios = [
    { label: 'one server', servers: 1 },
    { label: 'two servers, alternating', servers: 2 },
  ];
  const tables: Table[] = [];
  const findings: string[] = [];
  for (const { label, servers } of scenarios) {
    const result = await runContenders(
      {
        [SDK1]: () => bareSdk(1, stdio(servers)),
        [SDK2]: () => bareSdk(2, stdio(servers)),
        [MCPMX]: () => mcpmxClient(stdio(servers), { servers }),
        [LANGCHAIN]: () => langchainClient(stdio(servers)),
      },
      schedule,
    );
    tables.push(...versusTables(result, NAMES, SDK1, CONCURRENCIES, label));
    const figures = CONCURRENCIES.map((concurrency) => ({
      concurrency,
      mcpmx: versus(result, MCPMX, SDK1, concurrency),
      sdk2: versus(result, SDK2, SDK1, concurrency),
    }));
    const met = figures.every(
      ({ concurrency, mcpmx }) => mcpmx.rateRatio >= TARGETS[concurrency] && mcpmx.cpuRatio <= 1,
    );
    findings.push(
      `${label}: mcpmx / SDK 1.x ${figures
        .map(({ concurrency, mcpmx }) => `${ratio(mcpmx.rateRatio)} at ${concurrency}`)
        .join(', ')} in throughput and ${figures
        .map(({ concurrency, mcpmx }) => `${ratio(mcpmx.cpuRatio)} at ${concurrency}`)
        .join(', ')} in CPU per call (target ≥ 0.95 at 1, ≥ 1.0 at 16, CPU ≤ 1.0): ` +
        `${met ? 'met' : 'missed'}. SDK v2 / SDK 1.x: ${figures
          .map(({ concurrency, sdk2 }) => `${ratio(sdk2.rateRatio)} at ${concurrency}`)
          .join(', ')}.`,
    );
  }
  return {
    id: 'client-vs-sdk',
    title: 'stdio: @mcpmx/client against bare SDK 1.x and v2 clients and LangChain',
    setup:
      'Echo on server-everything over stdio through a bare `@modelcontextprotocol/sdk` 1.x ' +
      'client (the baseline), a bare SDK v2 client, `@mcpmx/client` (name → server → replica → ' +
      'breaker → balancer → pool) and `@langchain/mcp-adapters` `MultiServerMCPClient` (SDK 1.x ' +
      'inside), each client with its own server processes; with two servers the calls ' +
      'alternate between them. Every client lists the tools first, as an agent must. Closed ' +
      `loop, 1 and 16 in flight, ${rounds} interleaved round(s) of ${durationMs / 1000} s per ` +
      'client and concurrency (the order rotates every round) after a ' +
      `${warmupMs / 1000} s warm-up; median calls/s, median of the per-round ratios to SDK 1.x ` +
      'and their spread, and client-process CPU per call (the servers are child processes). ' +
      'Script: `client-vs-sdk.js`.',
    tables,
    findings,
  };
}
