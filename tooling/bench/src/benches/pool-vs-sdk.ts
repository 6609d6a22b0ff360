import { createSessionPool } from '@mcpmx/pool';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { everythingCommand, interleaved, median, roundRatios } from '../lib/measure.js';
import { type BenchOptions, fixed, range, ratio, type Section } from '../lib/report.js';

export interface PoolVsSdkOptions extends BenchOptions {
  rounds?: number;
  seconds?: number;
}

const CONCURRENCIES = [1, 16] as const;
const TARGET = 0.95;

/**
 * Echo through @mcpmx/pool against a bare MCP SDK v2 client, both to server-everything over
 * stdio, in interleaved rounds at 1 and 16 in flight: median calls/s and the ratio.
 */
export async function poolVsSdk(options: PoolVsSdkOptions): Promise<Section> {
  const rounds = options.rounds ?? (options.quick ? 1 : 5);
  const durationMs = (options.seconds ?? (options.quick ? 0.5 : 2)) * 1000;
  const warmupMs = options.quick ? 200 : 500;
  const { command, args } = everythingCommand();

  // Each client gets its own server-everything process (a stdio process serves one client),
  // started the same way; the SDK default request options apply to both.
  const bare = new Client({ name: 'bench-bare', version: '0.0.0' });
  const pool = createSessionPool(
    { id: 'everything#0', server: 'everything', transport: { type: 'stdio', command, args } },
    { maxSessions: 1, healthCheckIntervalMs: 0 },
  );
  let result: Awaited<ReturnType<typeof interleaved>>;
  try {
    await bare.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
    await pool.acquire();
    const echo = { name: 'echo', arguments: { message: 'bench' } };
    result = await interleaved(
      {
        'bare SDK v2': () => bare.callTool(echo),
        '@mcpmx/pool': () => pool.callTool(echo),
      },
      { rounds, durationMs, warmupMs, concurrencies: CONCURRENCIES },
    );
  } finally {
    await bare.close().catch(() => undefined);
    await pool.close();
  }

  const rows = CONCURRENCIES.map((concurrency) => {
    const bareRate = result.medians.get(`bare SDK v2@${concurrency}`) ?? Number.NaN;
    const poolRate = result.medians.get(`@mcpmx/pool@${concurrency}`) ?? Number.NaN;
    const perRound = roundRatios(
      result.samples.get(`@mcpmx/pool@${concurrency}`) ?? [],
      result.samples.get(`bare SDK v2@${concurrency}`) ?? [],
    );
    return { concurrency, bareRate, poolRate, ratio: poolRate / bareRate, perRound };
  });
  const met = rows.every((row) => row.ratio >= TARGET);
  return {
    id: 'pool-vs-sdk',
    title: 'Pool overhead: @mcpmx/pool against a bare SDK v2 client',
    setup:
      'Echo on `@modelcontextprotocol/server-everything` over stdio. Each client has its own ' +
      'server-everything process (a stdio server serves one client), started with the same ' +
      'command; the pool has one session (`maxSessions: 1`) so both sides use one process. ' +
      `Closed loop, 1 and 16 calls in flight, ${rounds} interleaved round(s) of ` +
      `${durationMs / 1000} s per client and concurrency (the order alternates by round), after ` +
      `a ${warmupMs / 1000} s warm-up; median calls/s. Script: \`pool-vs-sdk.js\`.`,
    tables: [
      {
        headers: [
          'in flight',
          'bare SDK v2 calls/s',
          '@mcpmx/pool calls/s',
          'ratio (pool / bare)',
          'per-round ratios',
        ],
        rows: rows.map((row) => [
          String(row.concurrency),
          fixed(row.bareRate),
          fixed(row.poolRate),
          ratio(row.ratio),
          range(row.perRound),
        ]),
      },
    ],
    findings: [
      `Target: ratio ≥ ${TARGET} at both concurrencies: ${met ? 'met' : 'missed'} ` +
        `(${rows.map((row) => `${ratio(row.ratio)} at ${row.concurrency}`).join(', ')}; ` +
        `median of per-round ratios ${rows.map((row) => ratio(median(row.perRound))).join(', ')}).`,
    ],
  };
}
