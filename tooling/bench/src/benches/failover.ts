import { createMultiServerClient } from '@mcpmx/client';
import { faultReplicas, quantiles, sleep } from '../lib/measure.js';
import { type BenchOptions, ms, type Section } from '../lib/report.js';

export interface FailoverOptions extends BenchOptions {
  seconds?: number;
}

const CALLERS = 16;
const WINDOW_MS = 5000;

/**
 * Failover under kill -9: three replicas of the fault test server; 16 callers run a read-only
 * tool in a closed loop; halfway through, one replica's process is killed with SIGKILL (the
 * pool restarts it). Failed calls (target 0 for read-only tools), failovers, and latency over
 * the whole run and over the 5 s after the kill.
 */
export async function failover(options: FailoverOptions): Promise<Section> {
  const durationMs = (options.seconds ?? (options.quick ? 6 : 20)) * 1000;
  const window = Math.min(WINDOW_MS, durationMs / 2);
  const client = createMultiServerClient({
    endpoints: faultReplicas({ FAULT_LATENCY_MS: '5' }),
    pool: { healthCheckIntervalMs: 0 },
  });
  let failovers = 0;
  let retries = 0;
  client.on('failover', () => failovers++);
  client.on('retry', () => retries++);
  const samples: { at: number; ms: number }[] = [];
  const failures: string[] = [];
  let killedAt = Number.NaN;
  try {
    await client.start();
    const start = performance.now();
    const killer = (async () => {
      await sleep(durationMs / 2);
      const stats = await client.callTool('stats', {}, { replica: 'fault#1' });
      killedAt = performance.now() - start;
      process.kill((stats.structuredContent as { pid: number }).pid, 'SIGKILL');
    })();
    await Promise.all(
      Array.from({ length: CALLERS }, async () => {
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
  } finally {
    await client.close();
  }

  const all = samples.map((s) => s.ms);
  const after = samples
    .filter((s) => s.at >= killedAt && s.at < killedAt + window)
    .map((s) => s.ms);
  const [p50 = 0, p99 = 0] = quantiles(all, [0.5, 0.99]);
  const [a50 = 0, a99 = 0, aMax = 0] = quantiles(after, [0.5, 0.99, 1]);
  const after_ = `${window / 1000} s after kill`;
  return {
    id: 'failover',
    title: 'Failover under kill -9',
    setup:
      'Three replicas of the fault test server over stdio (5 ms added latency) behind ' +
      `\`@mcpmx/client\`; ${CALLERS} callers of a read-only tool in a closed loop for ` +
      `${durationMs / 1000} s; at ${(killedAt / 1000).toFixed(1)} s one replica's process is ` +
      'killed with SIGKILL (the pool restarts it). Script: `failover.js`.',
    tables: [
      {
        headers: [
          'calls',
          'failed',
          'retries',
          'failovers',
          'p50',
          'p99',
          `p50, ${after_}`,
          `p99, ${after_}`,
          `max, ${after_}`,
        ],
        rows: [
          [
            String(all.length),
            String(failures.length),
            String(retries),
            String(failovers),
            ms(p50),
            ms(p99),
            ms(a50),
            ms(a99),
            ms(aMax),
          ],
        ],
      },
    ],
    findings: [
      `Target: 0 failed calls for idempotent tools: ${failures.length === 0 ? 'met' : 'missed'}` +
        (failures.length > 0 ? ` (first failure: ${failures[0]})` : '') +
        '.',
    ],
  };
}
