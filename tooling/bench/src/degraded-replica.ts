// Three replicas of the fault test server answer echo in 2 ms; halfway through, one turns to
// 100 ms. The same closed-loop load runs through @mcpmx/client with P2C peak-EWMA and with
// round-robin, and the script prints p50/p99 for each. Usage: node dist/degraded-replica.js
import { parseArgs } from 'node:util';
import { createRoundRobin } from '@mcpmx/balancer';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import type { Balancer } from '@mcpmx/core';
import { faultReplicas, machine, quantiles } from './measure.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
  },
});
const durationMs = Number(values.seconds) * 1000;
const concurrency = Number(values.concurrency);

async function run(name: string, createBalancer?: () => Balancer) {
  const endpoints = faultReplicas({ FAULT_LATENCY_MS: '2' });
  const client: MultiServerClient = createMultiServerClient({
    endpoints,
    pool: { healthCheckIntervalMs: 0 },
    ...(createBalancer ? { createBalancer } : {}),
  });
  await client.start();
  // Warm every replica, then measure.
  for (let i = 0; i < 60; i++) await client.callTool('echo', { message: 'warm' });
  const latencies: number[] = [];
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
  await client.close();
  const [p50 = Number.NaN, p90 = Number.NaN, p99 = Number.NaN] = quantiles(
    latencies,
    [0.5, 0.9, 0.99],
  );
  return { name, calls: latencies.length, p50, p90, p99 };
}

const ewma = await run('P2C peak-EWMA (default)');
const roundRobin = await run('round-robin', () => createRoundRobin());
console.log(`machine: ${await machine()}`);
console.log(
  `${concurrency} in flight, ${durationMs / 1000} s; figures for the half after fault#0 turned slow\n`,
);
console.log('| balancer | calls | p50 | p90 | p99 |');
console.log('|---|---|---|---|---|');
for (const row of [ewma, roundRobin]) {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`| ${row.name} | ${row.calls} | ${ms(row.p50)} | ${ms(row.p90)} | ${ms(row.p99)} |`);
}
console.log(`\np90 round-robin / P2C peak-EWMA: ${(roundRobin.p90 / ewma.p90).toFixed(1)}×`);
console.log(`p99 round-robin / P2C peak-EWMA: ${(roundRobin.p99 / ewma.p99).toFixed(1)}×`);
