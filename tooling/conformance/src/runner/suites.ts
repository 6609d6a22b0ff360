import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listScenarios, readResults, runSuite } from './conformance-cli.js';
import { judgeScenario, type ScenarioResult } from './scenario-result.js';

async function withOutputDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpmx-conformance-results-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs every server scenario (`server --url <url> --suite all`, one after another, as the suite
 * does) and judges each from its checks. A scenario that wrote no checks is reported failed.
 */
export async function runServerSuite(url: string, timeoutMs = 120_000): Promise<ScenarioResult[]> {
  const expected = await listScenarios('server');
  return withOutputDir(async (dir) => {
    const run = await runSuite(['server', '--url', url, '--suite', 'all', '-o', dir], timeoutMs);
    const results = await readResults(dir, 'server-');
    return expected.map(
      (scenario) =>
        results.find((result) => result.scenario === scenario) ??
        judgeScenario(scenario, [
          {
            id: scenario,
            status: 'FAILURE',
            errorMessage: `no result; suite output: ${run.output.slice(-500)}`,
          },
        ]),
    );
  });
}

/** Runs one client scenario against `command` (the suite appends the URL of its server). */
export async function runClientScenario(
  command: string,
  scenario: string,
  timeoutMs = 60_000,
): Promise<ScenarioResult> {
  return withOutputDir(async (dir) => {
    const run = await runSuite(
      ['client', '--command', command, '--scenario', scenario, '-o', dir],
      timeoutMs,
    );
    const [result] = await readResults(dir);
    return (
      result ??
      judgeScenario(scenario, [
        {
          id: scenario,
          status: 'FAILURE',
          errorMessage: `no result; suite output: ${run.output.slice(-500)}`,
        },
      ])
    );
  });
}

/** Options for {@link runClientSuite}. */
export interface ClientSuiteOptions {
  /** The client program, as a command line. */
  command: string;
  /** Scenarios run at once. Default 4. */
  concurrency?: number;
  /** Scenarios run alone after all the others, because they measure time. */
  alone?: readonly string[];
}

/**
 * Runs every client scenario the suite lists (what `client --suite all` runs), a few at a time,
 * then the timing-sensitive ones (`sse-retry`, a 700 ms reconnect limit) each on its own.
 */
export async function runClientSuite(options: ClientSuiteOptions): Promise<ScenarioResult[]> {
  const alone = new Set(options.alone ?? ['sse-retry']);
  const scenarios = await listScenarios('client');
  const shared = scenarios.filter((scenario) => !alone.has(scenario));
  const results = new Map<string, ScenarioResult>();
  let next = 0;
  const worker = async () => {
    while (next < shared.length) {
      const scenario = shared[next++] as string;
      results.set(scenario, await runClientScenario(options.command, scenario));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  for (const scenario of scenarios.filter((name) => alone.has(name))) {
    results.set(scenario, await runClientScenario(options.command, scenario));
  }
  return scenarios.map((scenario) => results.get(scenario) as ScenarioResult);
}
