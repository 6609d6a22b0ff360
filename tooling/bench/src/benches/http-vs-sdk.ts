import { type ChildServer, startEverythingHttp } from '@mcpmx/tooling-test-servers';
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
import { type BenchOptions, ratio, type Section, type Table } from '../lib/report.js';
import { runContenders, versus, versusTables } from '../lib/versus.js';

export interface HttpVsSdkOptions extends BenchOptions {
  rounds?: number;
  seconds?: number;
}

const CONCURRENCIES = [1, 16] as const;
const NAMES = [SDK1, SDK2, MCPMX, LANGCHAIN] as const;
/** Issue 17's targets over Streamable HTTP: throughput and client CPU per call against SDK 1.x. */
const RATE_TARGET = 1.0;
const CPU_TARGET = 0.5;

/**
 * Echo on server-everything over Streamable HTTP through a bare SDK 1.x client (the baseline),
 * a bare SDK v2 client, @mcpmx/client and @langchain/mcp-adapters, in interleaved rounds at 1
 * and 16 in flight, against one server process and against three (the bare clients and
 * LangChain alternate over three connections; mcpmx balances three replicas of one server).
 * Every contender talks to the same server processes, one contender at a time.
 */
export async function httpVsSdk(options: HttpVsSdkOptions): Promise<Section> {
  const rounds = options.rounds ?? (options.quick ? 1 : 9);
  const durationMs = (options.seconds ?? (options.quick ? 0.5 : 2)) * 1000;
  const warmupMs = options.quick ? 200 : 500;
  const schedule = { rounds, durationMs, warmupMs, concurrencies: CONCURRENCIES };
  const tables: Table[] = [];
  const findings: string[] = [];
  const servers: ChildServer[] = [];
  try {
    for (let i = 0; i < 3; i++) servers.push(await startEverythingHttp('streamableHttp'));
    for (const replicas of [1, 3]) {
      const upstreams: Upstream[] = servers
        .slice(0, replicas)
        .map((server) => ({ kind: 'http', url: server.url }));
      const label = replicas === 1 ? 'one server' : 'three replicas';
      const result = await runContenders(
        {
          [SDK1]: () => bareSdk(1, upstreams),
          [SDK2]: () => bareSdk(2, upstreams),
          [MCPMX]: () => mcpmxClient(upstreams),
          [LANGCHAIN]: () => langchainClient(upstreams),
        },
        schedule,
      );
      tables.push(...versusTables(result, NAMES, SDK1, CONCURRENCIES, label));
      const figures = CONCURRENCIES.map((concurrency) => ({
        concurrency,
        mcpmx: versus(result, MCPMX, SDK1, concurrency),
      }));
      const met = figures.every(
        ({ mcpmx }) => mcpmx.rateRatio >= RATE_TARGET && mcpmx.cpuRatio <= CPU_TARGET,
      );
      findings.push(
        `${label}: mcpmx / SDK 1.x ${figures
          .map(({ concurrency, mcpmx }) => `${ratio(mcpmx.rateRatio)} at ${concurrency}`)
          .join(', ')} in throughput and ${figures
          .map(({ concurrency, mcpmx }) => `${ratio(mcpmx.cpuRatio)} at ${concurrency}`)
          .join(', ')} in CPU per call (target ≥ ${RATE_TARGET} and ≤ ${CPU_TARGET}): ` +
          `${met ? 'met' : 'missed'}.`,
      );
    }
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
  return {
    id: 'http-vs-sdk',
    title: 'Streamable HTTP: @mcpmx/client against bare SDK 1.x and v2 clients and LangChain',
    setup:
      'Echo on server-everything over Streamable HTTP (`streamableHttp` mode, its own process) ' +
      'through a bare `@modelcontextprotocol/sdk` 1.x client (the baseline), a bare SDK v2 ' +
      'client, `@mcpmx/client` and `@langchain/mcp-adapters`, against one server and against ' +
      'three (the bare clients and LangChain alternate over three connections; mcpmx balances ' +
      'three replicas of one server). Every client lists the tools first. Closed loop, 1 and ' +
      `16 in flight, ${rounds} interleaved round(s) of ${durationMs / 1000} s per client and ` +
      `concurrency after a ${warmupMs / 1000} s warm-up; median calls/s, median per-round ` +
      'ratio to SDK 1.x with its spread, and client-process CPU per call. Script: ' +
      '`http-vs-sdk.js`.',
    tables,
    findings,
  };
}
