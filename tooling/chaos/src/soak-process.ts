import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SoakOptions, SoakReport } from './run-soak.js';
import { runWatchedChild } from './watched-child.js';

export interface SoakProcessOptions extends Omit<SoakOptions, 'log'> {
  /** Print each chaos action (from the child). Default false. */
  verbose?: boolean;
  /** How long the run's process may take to exit after it closed everything. Default 10 s. */
  exitTimeoutMs?: number;
  /** How long the run may take to report, beyond `durationMs`. Default 5 min. */
  reportMarginMs?: number;
}

/** The built child entry; this file sits in src/ (tests) or is bundled into dist/. */
const CHILD_SCRIPT = fileURLToPath(new URL('../dist/soak-child.js', import.meta.url));

/**
 * The chaos soak in its own process: runSoak there, and then one more invariant here, that
 * the process exits by itself within `exitTimeoutMs` once the client and the fleet are closed.
 * (A process that cannot exit may run no JS at all any more, so only a parent can see it.)
 */
export async function runSoakProcess(options: SoakProcessOptions): Promise<SoakReport> {
  const { exitTimeoutMs = 10_000, reportMarginMs = 300_000, ...soakOptions } = options;
  if (!existsSync(CHILD_SCRIPT)) {
    throw new Error(
      `${CHILD_SCRIPT} is missing: build the soak first (npx turbo run build --filter=@mcpmx/tooling-chaos...)`,
    );
  }
  const { report, violations } = await runWatchedChild<SoakReport>(CHILD_SCRIPT, {
    args: [JSON.stringify(soakOptions)],
    exitTimeoutMs,
    reportTimeoutMs: options.durationMs + reportMarginMs,
  });
  return { ...report, violations: [...report.violations, ...violations] };
}
