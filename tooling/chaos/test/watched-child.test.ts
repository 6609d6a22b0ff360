import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runWatchedChild } from '../src/watched-child.js';

const fixture = fileURLToPath(new URL('./fixtures/watched-child.mjs', import.meta.url));
const run = (behaviour: string, reportTimeoutMs = 20_000) =>
  runWatchedChild<{ violations: string[]; behaviour: string }>(fixture, {
    args: [behaviour],
    exitTimeoutMs: 1000,
    reportTimeoutMs,
  });

// The parent-side check the soak relies on: after its report the child must exit by itself.
describe('runWatchedChild', () => {
  it('returns the report of a child that exits after it', async () => {
    const { report, violations } = await run('exits');
    expect(report.behaviour).toBe('exits');
    expect(violations).toEqual([]);
  });

  it('reports and kills a child that does not exit after its report, even one running no JS', async () => {
    const { report, violations } = await run('spins');
    expect(report.behaviour).toBe('spins');
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^the process did not exit within 1 s after close\(\) \(state R/);
    expect(violations[0]).toMatch(/% of a core since its report/);
    expect(violations[0]).toMatch(/active resources at close: TCPSocketWrap x2$/);
  });

  it('rejects when the child exits before it reports', async () => {
    await expect(run('exits-early')).rejects.toThrow(/exited \(code 3\) before it reported/);
  });

  it('rejects, and kills the child, when it does not report in time', async () => {
    await expect(run('never-reports', 500)).rejects.toThrow(/did not report within 500 ms/);
  });
});
