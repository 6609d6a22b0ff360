// Failover under kill -9: three replicas of the fault test server; 16 callers run a read-only
// tool in a closed loop; halfway through, one replica's process is killed with SIGKILL (the
// pool restarts it). Prints the calls that failed (target: 0 for read-only tools), failovers,
// and latency percentiles over the whole run and over the 5 s after the kill.
// Usage: node dist/failover.js [--seconds 20]
import { parseArgs } from 'node:util';
import { createMultiServerClient } from '@mcpmx/client';
import { faultReplicas, machine, quantiles } from './measure.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' } } });
const durationMs = Number(values.seconds) * 1000;
const endpoints = faultReplicas({ FAULT_LATENCY_MS: '5' });
const client = createMultiServerClient({ endpoints, pool: { healthCheckIntervalMs: 0 } });
await client.start();
let failovers = 0;
let retries = 0;
client.on('failover', () => failovers++);
client.on('retry', () => retries++);

const samples: { at: number; ms: number }[] = [];
const failures: string[] = [];
const start = performance.now();
let killedAt = Number.NaN;
const killer = (async () => {
  await new Promise((resolve) => setTimeout(resolve, durationMs / 2));
  const stats = await client.callTool('stats', {}, { replica: 'fault#1' });
  killedAt = performance.now() - start;
  process.kill((stats.structuredContent as { pid: number }).pid, 'SIGKILL');
})();
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (performance.now() - start < durationMs) {
      const began = performance.now();
      try {
        await client.callTool('echo', { message: 'x' });
        samples.push({ at: began - start, ms: performance.now() - began });
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  }),
);
await killer;
await client.close();

const all = samples.map((s) => s.ms);
const after = samples.filter((s) => s.at >= killedAt && s.at < killedAt + 5000).map((s) => s.ms);
const [p50 = 0, p99 = 0] = quantiles(all, [0.5, 0.99]);
const [a50 = 0, a99 = 0, aMax = 0] = quantiles(after, [0.5, 0.99, 1]);
console.log(`machine: ${await machine()}`);
console.log(
  `3 replicas (5 ms added latency), 16 callers, ${durationMs / 1000} s, kill -9 of fault#1 at ${(killedAt / 1000).toFixed(1)} s\n`,
);
console.log(
  '| calls | failed | retries | failovers | p50 | p99 | p50 (5 s after kill) | p99 (5 s after kill) | max (5 s after kill) |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
console.log(
  `| ${all.length} | ${failures.length} | ${retries} | ${failovers} | ${p50.toFixed(1)} ms | ${p99.toFixed(1)} ms | ${a50.toFixed(1)} ms | ${a99.toFixed(1)} ms | ${aMax.toFixed(1)} ms |`,
);
if (failures.length > 0) console.log(`\nfirst failure: ${failures[0]}`);
