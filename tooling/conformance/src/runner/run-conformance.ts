import { execFileSync } from 'node:child_process';
import { CONFORMANCE_VERSION, packageRoot } from './conformance-cli.js';
import { clientCommand, startConformanceServer, startGateway } from './processes.js';
import { isAuthScenario, type ScenarioResult } from './scenario-result.js';
import { runClientSuite, runServerSuite } from './suites.js';

/** Everything one run measured. */
export interface ConformanceReport {
  suiteVersion: string;
  /** ISO date and time the run started. */
  startedAt: string;
  /** The git commit measured (`git rev-parse --short HEAD`), when known. */
  revision?: string;
  /** The mcpmx CLI the gateway half ran, when MCPMX_CONFORMANCE_CLI chose another build. */
  gatewayCli?: string;
  /** The server scenarios against the test server called directly, and through the gateway. */
  server: { direct: ScenarioResult[]; gateway: ScenarioResult[] };
  /** The client scenarios against the client program on @mcpmx/client. */
  client: ScenarioResult[];
}

/** The commit of the checkout this package sits in, or undefined outside git. */
function revision(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: packageRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Options for {@link runConformance}. */
export interface RunConformanceOptions {
  /** Which halves to run. Default both. */
  server?: boolean;
  client?: boolean;
}

/**
 * Starts the conformance test server, runs the server suite against it directly and through
 * `mcpmx serve --http`, then runs the client suite against the mcpmx client program. Every
 * process it starts is gone when it resolves or rejects.
 */
export async function runConformance(
  options: RunConformanceOptions = {},
): Promise<ConformanceReport> {
  const report: ConformanceReport = {
    suiteVersion: CONFORMANCE_VERSION,
    startedAt: new Date().toISOString(),
    ...(revision() ? { revision: revision() } : {}),
    ...(process.env.MCPMX_CONFORMANCE_CLI ? { gatewayCli: process.env.MCPMX_CONFORMANCE_CLI } : {}),
    server: { direct: [], gateway: [] },
    client: [],
  };
  if (options.server ?? true) {
    const upstream = await startConformanceServer();
    try {
      report.server.direct = await runServerSuite(upstream.url);
      const gateway = await startGateway(upstream.url);
      try {
        report.server.gateway = await runServerSuite(gateway.url);
      } finally {
        await gateway.close();
      }
    } finally {
      await upstream.close();
    }
  }
  if (options.client ?? true) {
    report.client = await runClientSuite({ command: clientCommand, alone: ['sse-retry'] });
  }
  return report;
}

/** The counts the targets speak of. */
export interface ConformanceCounts {
  serverDirect: { passed: number; total: number };
  serverGateway: { passed: number; total: number };
  /** Scenarios that pass against the test server directly but not through the gateway. */
  lostThroughGateway: string[];
  clientNonAuth: { passed: number; total: number };
  clientAuth: { passed: number; total: number };
}

const count = (results: readonly ScenarioResult[]) => ({
  passed: results.filter((result) => result.passed).length,
  total: results.length,
});

/** Sums a report up. */
export function countReport(report: ConformanceReport): ConformanceCounts {
  const gatewayPassed = new Set(
    report.server.gateway.filter((result) => result.passed).map((result) => result.scenario),
  );
  return {
    serverDirect: count(report.server.direct),
    serverGateway: count(report.server.gateway),
    lostThroughGateway: report.server.direct
      .filter((result) => result.passed && !gatewayPassed.has(result.scenario))
      .map((result) => result.scenario),
    clientNonAuth: count(report.client.filter((result) => !isAuthScenario(result.scenario))),
    clientAuth: count(report.client.filter((result) => isAuthScenario(result.scenario))),
  };
}
