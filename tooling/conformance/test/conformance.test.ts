// The official MCP conformance suite against mcpmx (issue 15's measurement). One run of every
// scenario, then one assertion per target:
// - the test server passes every server scenario when called directly;
// - every server scenario that passes directly also passes through `mcpmx serve --http`;
// - every non-auth client scenario passes against the client program on @mcpmx/client;
// - every auth/* client scenario passes with mcpmx's own OAuth (headless), but the one named in
//   AUTH_NOT_PASSING (why: docs/conformance.md), so at least 21 of the 22.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '../src/runner/report.js';
import {
  type ConformanceReport,
  countReport,
  runConformance,
} from '../src/runner/run-conformance.js';
import { isAuthScenario, type ScenarioResult } from '../src/runner/scenario-result.js';

/** The auth scenarios mcpmx's client does not pass yet, with why (see docs/conformance.md). */
const AUTH_NOT_PASSING = [
  // The SDK v2 auth() refuses the 2025-03-26 server's metadata: issuer "http://localhost:P"
  // against the expected "http://localhost:P/" (RFC 8414 §3.3, checked strictly).
  'auth/2025-03-26-oauth-metadata-backcompat',
];

const failing = (results: readonly ScenarioResult[]) =>
  results
    .filter((result) => !result.passed)
    .map(
      (result) =>
        `${result.scenario}: ${[...result.failures, result.clientError ?? ''].join('; ')}`,
    );

describe('the MCP conformance suite (@modelcontextprotocol/conformance 0.1.16)', () => {
  let report: ConformanceReport;

  beforeAll(async () => {
    report = await runConformance();
    process.stdout.write(`${formatReport(report)}\n`);
  });

  it('runs every scenario of the pinned suite', () => {
    expect(report.server.direct).toHaveLength(32);
    expect(report.server.gateway).toHaveLength(32);
    expect(report.client.filter((result) => !isAuthScenario(result.scenario))).toHaveLength(4);
    expect(report.client.filter((result) => isAuthScenario(result.scenario))).toHaveLength(22);
  });

  it('the test server passes every server scenario when called directly', () => {
    expect(failing(report.server.direct)).toEqual([]);
  });

  it('every server scenario that passes directly also passes through mcpmx serve --http', () => {
    const { lostThroughGateway } = countReport(report);
    const lost = report.server.gateway.filter((result) =>
      lostThroughGateway.includes(result.scenario),
    );
    expect(failing(lost)).toEqual([]);
  });

  it('the mcpmx client passes every non-auth client scenario', () => {
    const nonAuth = report.client.filter((result) => !isAuthScenario(result.scenario));
    expect(failing(nonAuth)).toEqual([]);
  });

  it('the mcpmx client, with its own OAuth, passes the auth scenarios (21 of 22)', () => {
    const auth = report.client.filter((result) => isAuthScenario(result.scenario));
    const targeted = auth.filter((result) => !AUTH_NOT_PASSING.includes(result.scenario));
    expect(failing(targeted)).toEqual([]);
    expect(auth.filter((result) => result.passed).length).toBeGreaterThanOrEqual(21);
  });
});
