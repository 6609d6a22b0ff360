import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, startEverythingHttp } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type GatewaySample, startGateway } from '../lib/gateway-process.js';
import { quantiles, sleep } from '../lib/measure.js';
import { type BenchOptions, ms, type Section } from '../lib/report.js';

export interface GatewayLoadOptions extends BenchOptions {
  seconds?: number;
  clients?: number;
}

const REPLICAS = 3;
const MiB = 1024 * 1024;

/**
 * The gateway under load: `mcpmx serve --http` in front of three server-everything replicas
 * over Streamable HTTP; N SDK clients, each with its own session to the gateway, call `echo` in
 * a closed loop. Throughput, latency as the clients see it and as the gateway measures its
 * upstream calls (its /metrics histogram), errors, and the gateway's RSS, heap and open file
 * descriptors before, at peak and after the clients have gone.
 */
export async function gatewayLoad(options: GatewayLoadOptions): Promise<Section> {
  const durationMs = (options.seconds ?? (options.quick ? 8 : 60)) * 1000;
  const clients = options.clients ?? (options.quick ? 50 : 200);
  const dir = await mkdtemp(join(tmpdir(), 'mcpmx-gateway-load-'));
  const upstreams: ChildServer[] = [];
  const connected: Client[] = [];
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  try {
    for (let i = 0; i < REPLICAS; i++) upstreams.push(await startEverythingHttp('streamableHttp'));
    const config = join(dir, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: { everything: { replicas: upstreams.map((u) => ({ url: u.url })) } },
      }),
    );
    // One 2025-11-25 session per client, each with its POST and GET sockets, all from one
    // address: room for all of them (the defaults are 100 sessions and 256 sockets per address,
    // meant for many clients on many addresses).
    gateway = await startGateway(config, [
      '--max-sessions',
      String(clients + 10),
      '--max-connections-per-address',
      String(clients * 3),
    ]);
    await sleep(1000); // the gateway's first health checks and list fetches settle
    const before = gateway.sample();
    for (let i = 0; i < clients; i++) {
      const client = new Client({ name: `load-${i}`, version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
      connected.push(client);
    }
    const peak: GatewaySample = { ...before };
    const sampler = setInterval(() => {
      const now = gateway?.sample();
      if (!now) return;
      peak.rssBytes = Math.max(peak.rssBytes, now.rssBytes);
      peak.heapUsedBytes = Math.max(peak.heapUsedBytes, now.heapUsedBytes);
      peak.fds = Math.max(peak.fds, now.fds);
    }, 250);
    const latencies: number[] = [];
    const errors = new Map<string, number>();
    const deadline = performance.now() + durationMs;
    const started = performance.now();
    await Promise.all(
      connected.map(async (client, index) => {
        let n = 0;
        while (performance.now() < deadline) {
          const began = performance.now();
          try {
            const result = await client.callTool({
              name: 'echo',
              arguments: { message: `c${index} ${n++}` },
            });
            if (result.isError) throw new Error('isError result');
            latencies.push(performance.now() - began);
          } catch (error) {
            const key = (error as Error).message.slice(0, 80);
            errors.set(key, (errors.get(key) ?? 0) + 1);
          }
        }
      }),
    );
    const elapsed = performance.now() - started;
    clearInterval(sampler);
    const inside = await gatewayQuantiles(gateway.url);
    await Promise.all(connected.splice(0).map((client) => client.close()));
    // Idle keep-alive sockets end after the server's keep-alive timeout (Node's default 5 s).
    await sleep(6000);
    const after = gateway.sample();
    const failed = [...errors.values()].reduce((a, b) => a + b, 0);
    const [p50 = 0, p99 = 0] = quantiles(latencies, [0.5, 0.99]);
    const mib = (bytes: number) => (bytes / MiB).toFixed(1);
    return {
      id: 'gateway-load',
      title: 'The HTTP gateway under load',
      setup:
        `\`mcpmx serve --http\` (the built CLI, its own process) in front of ${REPLICAS} ` +
        'replicas of `@modelcontextprotocol/server-everything` over Streamable HTTP; ' +
        `${clients} SDK clients (\`@modelcontextprotocol/client\`, one session each, in the ` +
        `bench process) call \`echo\` in a closed loop for ${durationMs / 1000} s. Latency ` +
        "as the clients see it, and of the gateway's upstream calls (its " +
        '`mcpmx_request_duration_seconds` histogram, interpolated within buckets). The ' +
        "gateway's memory is reported from inside it every 200 ms; file descriptors are " +
        'counted in /proc. All clients share one address, so the gateway runs with ' +
        `\`--max-sessions ${clients + 10} --max-connections-per-address ${clients * 3}\` ` +
        '(each session holds a POST and a GET socket; the defaults, 100 and 256, are meant for ' +
        'clients on many addresses). Script: `gateway-load.js`.',
      tables: [
        {
          headers: ['calls', 'calls/s', 'errors', 'p50', 'p99', 'p50 inside', 'p99 inside'],
          rows: [
            [
              String(latencies.length),
              ((latencies.length * 1000) / elapsed).toFixed(0),
              String(failed),
              ms(p50),
              ms(p99),
              inside ? ms(inside.p50 * 1000) : 'n/a',
              inside ? ms(inside.p99 * 1000) : 'n/a',
            ],
          ],
        },
        {
          headers: ['gateway', 'before', 'peak', 'after'],
          rows: [
            ['RSS (MiB)', mib(before.rssBytes), mib(peak.rssBytes), mib(after.rssBytes)],
            [
              'heap used (MiB)',
              mib(before.heapUsedBytes),
              mib(peak.heapUsedBytes),
              mib(after.heapUsedBytes),
            ],
            ['open fds', String(before.fds), String(peak.fds), String(after.fds)],
          ],
        },
      ],
      findings: [
        failed === 0
          ? 'No call failed.'
          : `${failed} calls failed: ${[...errors].map(([e, n]) => `${n} × ${e}`).join('; ')}`,
        gateway.log().trim() === ''
          ? 'The gateway logged nothing during the run.'
          : `The gateway logged: ${gateway.log().trim().split('\n').slice(0, 3).join(' / ').slice(0, 400)}`,
        `File descriptors ${before.fds} → ${peak.fds} → ${after.fds}: the clients' sockets are ` +
          (after.fds <= before.fds + 5 ? 'all released after they close.' : 'NOT all released.'),
      ],
    };
  } finally {
    await Promise.all(connected.map((client) => client.close().catch(() => undefined)));
    await gateway?.close();
    await Promise.all(upstreams.map((upstream) => upstream.close()));
    await rm(dir, { recursive: true, force: true });
  }
}

/** p50 and p99 of the gateway's request-duration histogram, linear within a bucket. */
async function gatewayQuantiles(url: string): Promise<{ p50: number; p99: number } | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    const found = /^mcpmx_request_duration_seconds_bucket\{(.*)\} (\d+)/.exec(line);
    if (!found?.[1] || !/method="tools\/call"/.test(found[1])) continue;
    const le = /le="([^"]+)"/.exec(found[1])?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(found[2]));
  }
  const sorted = [...buckets].sort(([a], [b]) => a - b);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return undefined;
  const at = (q: number) => {
    const rank = q * total;
    let lower = 0;
    let below = 0;
    for (const [bound, count] of sorted) {
      if (count >= rank) {
        if (!Number.isFinite(bound)) return lower;
        return lower + ((bound - lower) * (rank - below)) / Math.max(1, count - below);
      }
      lower = bound;
      below = count;
    }
    return lower;
  };
  return { p50: at(0.5), p99: at(0.99) };
}
