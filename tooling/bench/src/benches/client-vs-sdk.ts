import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { createMultiServerClient } from '@mcpmx/client';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { everythingCommand, interleaved, median, roundRatios } from '../lib/measure.js';
import { type BenchOptions, fixed, range, ratio, type Section } from '../lib/report.js';

export interface ClientVsSdkOptions extends BenchOptions {
  rounds?: number;
  seconds?: number;
}

const CONCURRENCIES = [1, 16] as const;
const TARGET = 0.95;
const BARE = 'bare SDK v2';
const MCPMX = '@mcpmx/client';
const LANGCHAIN = '@langchain/mcp-adapters';

/**
 * Routing overhead: echo through @mcpmx/client's MultiServerClient (name → server → replica →
 * breaker → balancer → pool), a bare MCP SDK v2 client, and @langchain/mcp-adapters'
 * MultiServerMCPClient, each to its own server-everything process over stdio, in interleaved
 * rounds at 1 and 16 in flight: median calls/s and the ratios to the bare SDK.
 */
export async function clientVsSdk(options: ClientVsSdkOptions): Promise<Section> {
  const rounds = options.rounds ?? (options.quick ? 1 : 9);
  const durationMs = (options.seconds ?? (options.quick ? 0.5 : 2)) * 1000;
  const warmupMs = options.quick ? 200 : 500;
  const { command, args } = everythingCommand();

  const bare = new Client({ name: 'bench-bare', version: '0.0.0' });
  const mcpmx = createMultiServerClient({
    endpoints: [
      { id: 'everything#0', server: 'everything', transport: { type: 'stdio', command, args } },
    ],
    pool: { maxSessions: 1, healthCheckIntervalMs: 0 },
  });
  const langchain = new MultiServerMCPClient({
    mcpServers: { everything: { transport: 'stdio', command, args, stderr: 'ignore' } },
    prefixToolNameWithServerName: false,
  });
  let result: Awaited<ReturnType<typeof interleaved>>;
  try {
    await bare.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
    // Like the other two (and any real agent), the bare client lists the tools before calling
    // one; the SDK keeps that list to validate results against output schemas.
    await bare.listTools();
    await mcpmx.start();
    const langchainEcho = (await langchain.getTools()).find((tool) => tool.name === 'echo');
    if (!langchainEcho) throw new Error('langchain: no echo tool');
    const message = { message: 'bench' };
    result = await interleaved(
      {
        [BARE]: () => bare.callTool({ name: 'echo', arguments: message }),
        [MCPMX]: () => mcpmx.callTool('echo', message),
        [LANGCHAIN]: () => langchainEcho.invoke(message),
      },
      { rounds, durationMs, warmupMs, concurrencies: CONCURRENCIES },
    );
  } finally {
    await bare.close().catch(() => undefined);
    await mcpmx.close();
    await langchain.close().catch(() => undefined);
  }

  const rows = CONCURRENCIES.map((concurrency) => {
    const rate = (name: string) => result.medians.get(`${name}@${concurrency}`) ?? Number.NaN;
    const series = (name: string) => result.samples.get(`${name}@${concurrency}`) ?? [];
    return {
      concurrency,
      bare: rate(BARE),
      mcpmx: rate(MCPMX),
      langchain: rate(LANGCHAIN),
      mcpmxRatio: rate(MCPMX) / rate(BARE),
      langchainRatio: rate(LANGCHAIN) / rate(BARE),
      mcpmxRounds: roundRatios(series(MCPMX), series(BARE)),
      cpu: (name: string) => result.cpuMedians.get(`${name}@${concurrency}`) ?? Number.NaN,
    };
  });
  const met = rows.every((row) => row.mcpmxRatio >= TARGET);
  return {
    id: 'client-vs-sdk',
    title: 'Routing overhead: @mcpmx/client against a bare SDK v2 client and LangChain',
    setup:
      'Echo on server-everything over stdio through `@mcpmx/client` (name → server → replica → ' +
      'breaker → balancer → pool), a bare SDK v2 client, and `@langchain/mcp-adapters` ' +
      '`MultiServerMCPClient`, each client with its own server process. Every client lists the ' +
      'tools first, as an agent must. Closed loop, 1 and 16 in flight, ' +
      `${rounds} interleaved round(s) of ${durationMs / 1000} s per client and concurrency (the ` +
      `order rotates every round) after a ${warmupMs / 1000} s warm-up; median calls/s. ` +
      'Script: `client-vs-sdk.js`.',
    tables: [
      {
        headers: [
          'in flight',
          'bare SDK v2 calls/s',
          '@mcpmx/client calls/s',
          '@langchain/mcp-adapters calls/s',
          'mcpmx / bare',
          'langchain / bare',
          'mcpmx / bare per round',
        ],
        rows: rows.map((row) => [
          String(row.concurrency),
          fixed(row.bare),
          fixed(row.mcpmx),
          fixed(row.langchain),
          ratio(row.mcpmxRatio),
          ratio(row.langchainRatio),
          range(row.mcpmxRounds),
        ]),
      },
      {
        headers: [
          'in flight',
          'bare SDK v2 CPU µs/call',
          '@mcpmx/client CPU µs/call',
          '@langchain/mcp-adapters CPU µs/call',
          'mcpmx / bare',
          'langchain / bare',
        ],
        rows: rows.map((row) => [
          String(row.concurrency),
          fixed(row.cpu(BARE), 1),
          fixed(row.cpu(MCPMX), 1),
          fixed(row.cpu(LANGCHAIN), 1),
          ratio(row.cpu(MCPMX) / row.cpu(BARE)),
          ratio(row.cpu(LANGCHAIN) / row.cpu(BARE)),
        ]),
      },
    ],
    findings: [
      `Target: mcpmx / bare ≥ ${TARGET} at both concurrencies: ${met ? 'met' : 'missed'} ` +
        `(median of per-round ratios ${rows.map((row) => ratio(median(row.mcpmxRounds))).join(', ')}).`,
      'Client-process CPU per call (the second table; servers are child processes) is the ' +
        'steadier measure of what routing costs: ' +
        rows
          .map(
            (row) =>
              `${fixed(row.cpu(MCPMX) - row.cpu(BARE), 1)} µs more than the bare client at ${row.concurrency} in flight`,
          )
          .join(', ') +
        '.',
    ],
  };
}
