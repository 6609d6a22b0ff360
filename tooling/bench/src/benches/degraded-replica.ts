import { createRoundRobin } from '@mcpmx/balancer';
import { createMultiServerClient } from '@mcpmx/client';
import type { Balancer } from '@mcpmx/core';
import { faultReplicas, quantiles } from '../lib/measure.js';
import { type BenchOptions, fixed, ms, type Section } from '../lib/report.js';

export interface DegradedReplicaOptions extends BenchOptions {
  seconds?: number;
  concurrency?: number;
}

interface Run {
  name: string;
  calls: number;
  p50: number;
  p90: number;
  p99: number;
}

async function measure(
  name: string,
  durationMs: number,
  concurrency: number,
  createBalancer?: () => Balancer,
): Promise<Run> {
  const client = createMultiServerClient({
    endpoints: faultReplicas({ FAULT_LATENCY_MS: '2' }),
    pool: { healthCheckIntervalMs: 0 },
    ...(createBalancer ? { createBalancer } : {}),
  });
  const latencies: number[] = [];
  try {
    await client.start();
    // Warm every replica, then measure.
    for (let i = 0; i < 60; i++) await client.callTool('echo', { message: 'warm' });
    const start = performance.now();
    let degraded = false;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() - start < durationMs) {
          if (!degraded && performance.now() - start > durationMs / 2) {
            degraded = true;
            await client.callTool('set-latency', { ms: 100 }, { replica: 'fault#0' });
          }
          const began = performance.now();
          await client.callTool('echo', { message: 'x' });
          if (degraded) latencies.push(performance.now() - began);
        }
      }),
    );
  } finally {
    await client.close();
  }
  const [p50 = Number.NaN, p90 = Number.NaN, p99 = Number.NaN] = quantiles(
    latencies,
    [0.5, 0.9, 0.99],
  );
  return { name, calls: latencies.length, p50, p90, p99 };
}

/**
 * Three replicas of the fault test server answer echo in 2 ms; halfway through, one turns to
 * 100 ms. The same closed-loop load runs through @mcpmx/client with P2C peak-EWMA and with
 * round-robin: p50/p90/p99 of the half after the change.
 */
export async function degradedReplica(options: DegradedReplicaOptions): Promise<Section> {
  const durationMs = (options.seconds ?? (options.quick ? 4 : 10)) * 1000;
  const concurrency = options.concurrency ?? 8;
  const ewma = await measure('P2C peak-EWMA (default)', durationMs, concurrency);
  const roundRobin = await measure('round-robin', durationMs, concurrency, () =>
    createRoundRobin(),
  );
  return {
    id: 'degraded-replica',
    title: 'Tail latency with a degraded replica',
    setup:
      'Three replicas of the fault test server over stdio answer echo with 2 ms added latency; ' +
      `${concurrency} callers through \`@mcpmx/client\`, closed loop, ${durationMs / 1000} s; ` +
      `after ${durationMs / 2000} s one replica turns to 100 ms. Figures for the half after the ` +
      'change; the same run with round-robin is the baseline. Script: `degraded-replica.js`.',
    tables: [
      {
        headers: ['balancer', 'calls', 'p50', 'p90', 'p99'],
        rows: [ewma, roundRobin].map((row) => [
          row.name,
          String(row.calls),
          ms(row.p50),
          ms(row.p90),
          ms(row.p99),
        ]),
      },
    ],
    findings: [
      `round-robin / P2C peak-EWMA: p99 ${fixed(roundRobin.p99 / ewma.p99, 1)}×, ` +
        `p90 ${fixed(roundRobin.p90 / ewma.p90, 1)}×, ` +
        `calls completed ${fixed(ewma.calls / roundRobin.calls, 1)}× as many with P2C.`,
    ],
  };
}
