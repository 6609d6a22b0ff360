// The chaos soak as a script. Short mode (the default, as in the test suite):
//   node dist/soak.js [--seconds 25] [--seed N] [--concurrency 8] [--json]
// Long mode, for benchmarks:
//   node dist/soak.js --minutes 30 [--seed N]
// The run itself happens in a child process (dist/soak-child.js), which must exit by itself
// within --exit-timeout-seconds of closing everything. Prints the seed (rerun with --seed to
// repeat the same schedule), the figures and every broken invariant; exits 1 if any broke.
import { parseArgs } from 'node:util';
import type { SoakReport } from './run-soak.js';
import { runSoakProcess } from './soak-process.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    minutes: { type: 'string' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    'chaos-interval-ms': { type: 'string', default: '1000' },
    'exit-timeout-seconds': { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const durationMs =
  values.minutes !== undefined
    ? Number(values.minutes) * 60_000
    : Number(values.seconds ?? '25') * 1000;
for (const [name, value] of [
  ['duration', durationMs],
  ['concurrency', Number(values.concurrency)],
  ['chaos-interval-ms', Number(values['chaos-interval-ms'])],
  ['exit-timeout-seconds', Number(values['exit-timeout-seconds'])],
] as const) {
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} must be a positive number (got ${JSON.stringify(value)})`);
    process.exit(2);
  }
}

const report = await runSoakProcess({
  durationMs,
  seed: values.seed === undefined ? undefined : Number(values.seed),
  concurrency: Number(values.concurrency),
  chaosIntervalMs: Number(values['chaos-interval-ms']),
  exitTimeoutMs: Number(values['exit-timeout-seconds']) * 1000,
  verbose: values.verbose,
});
console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
process.exitCode = report.violations.length > 0 ? 1 : 0;

function formatReport(r: SoakReport): string {
  const kind = (name: string, k: SoakReport['readOnly'] | SoakReport['nonIdempotent']) =>
    `${name}: ${k.ok} ok, ${k.failed} failed${
      Object.keys(k.errors).length
        ? ` (${Object.entries(k.errors)
            .map(([code, n]) => `${code} ${n}`)
            .join(', ')})`
        : ''
    }`;
  return [
    `seed ${r.seed} (rerun: node dist/soak.js --seed ${r.seed} --seconds ${Math.round(r.durationMs / 1000)})`,
    `duration ${(r.durationMs / 1000).toFixed(1)} s, ${r.calls} calls`,
    `${kind('read-only (echo)', r.readOnly)}; ${r.readOnly.excused} excused (no replica up)`,
    `${kind('non-idempotent (count)', r.nonIdempotent)}; ledger ${r.nonIdempotent.ledgerLines} lines`,
    `failovers ${r.failovers}, retries ${r.retries}`,
    `chaos: ${Object.entries(r.chaos)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ')}`,
    `no replica up: ${Object.entries(r.allDownMs)
      .map(([server, ms]) => `${server} ${ms} ms`)
      .join(', ')}`,
    `latency of successful calls: p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms`,
    `heap: ${r.heapMiB.before.toFixed(1)} MiB before, ${r.heapMiB.after.toFixed(1)} MiB after, ${r.heapMiB.afterClose.toFixed(1)} MiB after close`,
    r.violations.length === 0
      ? 'invariants: all hold'
      : `invariants BROKEN (${r.violations.length}):\n${r.violations.map((v) => `  - ${v}`).join('\n')}`,
  ].join('\n');
}
