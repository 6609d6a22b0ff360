import { type ChildServer, startEverythingHttp } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { median, quantiles, sleep } from '../lib/measure.js';
import {
  type HttpTarget,
  mcpmxGateway,
  mcpmxOverStdio,
  mcpProxy,
  processCpuMicros,
  supergateway,
} from '../lib/peer-gateways.js';
import { type BenchOptions, fixed, ratio, type Section } from '../lib/report.js';

export interface GatewayCostOptions extends BenchOptions {
  rounds?: number;
  seconds?: number;
}

const CONCURRENCIES = [1, 16, 64] as const;
/** SDK clients per target, each with its own session; calls go round-robin over them. */
const CLIENTS = 4;
const DIRECT = 'server-everything directly';
const MCPMX_HTTP = 'mcpmx → HTTP upstream';
const MCPMX_STDIO = 'mcpmx → stdio upstream';
const SUPERGATEWAY = 'supergateway 4.0.0 → stdio';
const MCP_PROXY = 'mcp-proxy 6.7.19 → stdio';
/** Issue 17: through the gateway, added p50 ≤ 1 ms and throughput ≥ 0.8× direct at 16. */
const ADDED_P50_MS = 1;
const THROUGHPUT_AT_16 = 0.8;

interface Tally {
  latencies: number[];
  rates: number[];
  cpuPerCall: number[];
}

/**
 * What a gateway costs: SDK v2 clients call `echo` on server-everything over Streamable HTTP
 * directly, through `mcpmx serve --http` (fronting that same HTTP server, and fronting
 * server-everything over stdio), and through two peer gateways from npm that bridge stdio to
 * Streamable HTTP (supergateway, mcp-proxy). Interleaved rounds at 1, 16 and 64 in flight:
 * throughput, latency p50/p99 as the clients see it, and the gateway process's CPU per call.
 */
export async function gatewayCost(options: GatewayCostOptions): Promise<Section> {
  const rounds = options.rounds ?? (options.quick ? 1 : 5);
  const durationMs = (options.seconds ?? (options.quick ? 0.5 : 2)) * 1000;
  let upstream: ChildServer | undefined;
  const targets = new Map<string, { target: HttpTarget; clients: Client[] }>();
  const tallies = new Map<string, Tally>();
  try {
    upstream = await startEverythingHttp('streamableHttp');
    const direct = upstream;
    const starters: [string, () => Promise<HttpTarget>][] = [
      [DIRECT, async () => ({ url: direct.url, pid: direct.pid, close: async () => undefined })],
      [MCPMX_HTTP, () => mcpmxGateway({ everything: { url: direct.url } })],
      [MCPMX_STDIO, mcpmxOverStdio],
      [SUPERGATEWAY, supergateway],
      [MCP_PROXY, mcpProxy],
    ];
    for (const [name, start] of starters) {
      const target = await start();
      const clients: Client[] = [];
      targets.set(name, { target, clients });
      for (let i = 0; i < CLIENTS; i++) {
        clients.push(await connect(target.url, i));
      }
    }
    const names = [...targets.keys()];
    // Warm-up: every target at 16 in flight, unrecorded.
    for (const name of names) await loop(targets.get(name)?.clients ?? [], 16, 500);
    for (let round = 0; round < rounds; round++) {
      for (const concurrency of CONCURRENCIES) {
        const order = [...names];
        for (let i = 0; i < round % order.length; i++) order.push(order.shift() as string);
        for (const name of order) {
          const { target, clients } = targets.get(name) as {
            target: HttpTarget;
            clients: Client[];
          };
          const cpuBefore = processCpuMicros(target.pid);
          const { latencies, calls, elapsedMs } = await loop(clients, concurrency, durationMs);
          const cpu = processCpuMicros(target.pid) - cpuBefore;
          const key = `${name}@${concurrency}`;
          const tally = tallies.get(key) ?? { latencies: [], rates: [], cpuPerCall: [] };
          tally.latencies.push(...latencies);
          tally.rates.push((calls * 1000) / elapsedMs);
          tally.cpuPerCall.push(cpu / Math.max(1, calls));
          tallies.set(key, tally);
        }
      }
    }
  } finally {
    for (const { target, clients } of targets.values()) {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await target.close();
    }
    await upstream?.close();
  }

  const figures = (name: string, concurrency: number) => {
    const tally = tallies.get(`${name}@${concurrency}`);
    const [p50 = Number.NaN, p99 = Number.NaN] = quantiles(tally?.latencies ?? [], [0.5, 0.99]);
    return { rate: median(tally?.rates ?? []), p50, p99, cpu: median(tally?.cpuPerCall ?? []) };
  };
  const gateways = [MCPMX_HTTP, MCPMX_STDIO, SUPERGATEWAY, MCP_PROXY];
  const direct16 = figures(DIRECT, 16);
  const mcpmx16 = figures(MCPMX_HTTP, 16);
  const addedP50 = mcpmx16.p50 - direct16.p50;
  const throughputRatio = mcpmx16.rate / direct16.rate;
  const peersBeaten = [SUPERGATEWAY, MCP_PROXY].map((peer) => {
    const wins = CONCURRENCIES.every((concurrency) => {
      const ours = figures(MCPMX_STDIO, concurrency);
      const theirs = figures(peer, concurrency);
      return (
        ours.rate >= theirs.rate &&
        ours.p50 <= theirs.p50 &&
        ours.p99 <= theirs.p99 &&
        ours.cpu <= theirs.cpu
      );
    });
    return `${peer}: ${wins ? 'mcpmx ahead on every figure' : 'mcpmx not ahead on every figure'}`;
  });
  return {
    id: 'gateway-cost',
    title: 'What a gateway costs: through mcpmx serve against direct calls and two peer gateways',
    setup:
      `${CLIENTS} SDK v2 clients (each its own session, calls round-robin over them) call ` +
      '`echo` over Streamable HTTP: on server-everything directly (its `streamableHttp` mode); ' +
      'through `mcpmx serve --http` fronting that same server; through `mcpmx serve --http` ' +
      'fronting server-everything over stdio; and through the peer gateways supergateway ' +
      '(`--stdio … --outputTransport streamableHttp --stateful`) and mcp-proxy (`--server ' +
      'stream`), each fronting server-everything over stdio. Closed loop at 1, 16 and 64 in ' +
      `flight, ${rounds} interleaved round(s) of ${durationMs / 1000} s per target and ` +
      'concurrency (the order rotates every round) after a warm-up. Latency as the clients see ' +
      'it over every call of every round; calls/s and gateway CPU per call (the gateway ' +
      'process alone, from /proc, 10 ms ticks) are medians over rounds; for the direct row the ' +
      'CPU is the server’s. Script: `gateway-cost.js`.',
    tables: [
      {
        headers: ['target', 'in flight', 'calls/s', '× direct', 'p50', 'p99', 'CPU µs/call'],
        rows: [DIRECT, ...gateways].flatMap((name) =>
          CONCURRENCIES.map((concurrency) => {
            const f = figures(name, concurrency);
            return [
              name,
              String(concurrency),
              fixed(f.rate),
              ratio(f.rate / figures(DIRECT, concurrency).rate),
              `${fixed(f.p50, 2)} ms`,
              `${fixed(f.p99, 2)} ms`,
              fixed(f.cpu),
            ];
          }),
        ),
      },
    ],
    findings: [
      `Through mcpmx at 16 in flight: added p50 ${fixed(addedP50, 2)} ms (target ≤ ` +
        `${ADDED_P50_MS} ms) and ${ratio(throughputRatio)}× direct throughput (target ≥ ` +
        `${THROUGHPUT_AT_16}): ${addedP50 <= ADDED_P50_MS && throughputRatio >= THROUGHPUT_AT_16 ? 'met' : 'missed'}.`,
      `Against the peers (mcpmx over stdio, every concurrency, calls/s, p50, p99 and CPU): ${peersBeaten.join('; ')}.`,
    ],
  };
}

/**
 * An SDK client connected to `url`, listing its tools. A peer gateway may say it is starting
 * just before it listens, so a refused connection is tried again for up to 10 s.
 */
async function connect(url: string, i: number): Promise<Client> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const client = new Client({ name: `gateway-cost-${i}`, version: '0.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      await client.listTools();
      return client;
    } catch (error) {
      await client.close().catch(() => undefined);
      if (performance.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

/** A closed loop over the clients: every call's latency (ms), the calls made, the time taken. */
async function loop(clients: readonly Client[], concurrency: number, durationMs: number) {
  const latencies: number[] = [];
  let calls = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const client = clients[worker % clients.length] as Client;
      while (performance.now() < deadline) {
        const sent = performance.now();
        await client.callTool({ name: 'echo', arguments: { message: 'bench' } });
        latencies.push(performance.now() - sent);
        calls++;
      }
    }),
  );
  return { latencies, calls, elapsedMs: performance.now() - started };
}
