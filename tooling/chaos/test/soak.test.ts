import { describe, expect, it } from 'vitest';
import { runSoakProcess } from '../src/soak-process.js';

// The short chaos soak: kill -9, proxy faults and discovery churn under a mixed workload, in
// its own process (dist/soak-child.js, so build first), which must exit by itself once it
// closed everything. A broken invariant fails with the soak's own message; the seed is in
// the test output.
describe('chaos soak (short)', () => {
  it('holds every invariant under kill -9, proxy faults and discovery churn, and exits', async () => {
    const seed = Number(process.env.MCPMX_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const report = await runSoakProcess({
      seed,
      durationMs: 20_000,
      concurrency: 6,
      exitTimeoutMs: 10_000,
      // Within the test timeout, so a run that hangs is killed with its servers.
      reportMarginMs: 80_000,
    });
    console.log(`chaos soak seed ${seed}: ${JSON.stringify({ ...report, violations: undefined })}`);
    expect(report.violations, `seed ${seed}: ${report.violations.join('; ')}`).toEqual([]);
    // The run did what it claims: calls of both kinds, and chaos happened.
    expect(report.readOnly.ok).toBeGreaterThan(50);
    expect(report.nonIdempotent.ok).toBeGreaterThan(20);
    const actions = Object.values(report.chaos).reduce((sum, n) => sum + n, 0);
    expect(actions).toBeGreaterThan(5);
  });
});
