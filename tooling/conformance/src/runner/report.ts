import { readFile, writeFile } from 'node:fs/promises';
import { suiteCommand } from './conformance-cli.js';
import { type ConformanceReport, countReport } from './run-conformance.js';
import { isAuthScenario, type ScenarioResult } from './scenario-result.js';

const mark = (result: ScenarioResult | undefined) =>
  result === undefined ? '-' : result.passed ? 'pass' : 'FAIL';

/** The first failure of a scenario, on one line, for the tables. */
const reason = (result: ScenarioResult) =>
  [result.failures[0] ?? '', result.clientError ? `(client: ${result.clientError})` : '']
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim()
    .slice(0, 300);

/** A table per half: each scenario with its outcome, then the counts. */
export function formatReport(report: ConformanceReport): string {
  const counts = countReport(report);
  const lines: string[] = [];
  if (report.server.direct.length > 0) {
    lines.push('| server scenario | direct | through mcpmx serve --http |', '|---|---|---|');
    for (const direct of report.server.direct) {
      const gateway = report.server.gateway.find((result) => result.scenario === direct.scenario);
      lines.push(`| ${direct.scenario} | ${mark(direct)} | ${mark(gateway)} |`);
    }
    lines.push(
      '',
      `server suite: ${counts.serverDirect.passed}/${counts.serverDirect.total} direct, ` +
        `${counts.serverGateway.passed}/${counts.serverGateway.total} through the gateway`,
      `pass directly but not through the gateway: ${counts.lostThroughGateway.join(', ') || 'none'}`,
      '',
    );
  }
  if (report.client.length > 0) {
    lines.push('| client scenario | mcpmx client |', '|---|---|');
    for (const result of report.client) lines.push(`| ${result.scenario} | ${mark(result)} |`);
    lines.push(
      '',
      `client suite: ${counts.clientNonAuth.passed}/${counts.clientNonAuth.total} non-auth ` +
        `(the target), ${counts.clientAuth.passed}/${counts.clientAuth.total} auth (target: 21)`,
    );
  }
  return lines.join('\n');
}

/** The generated part of docs/conformance.md. */
export function renderDocSection(report: ConformanceReport): string {
  const counts = countReport(report);
  const failing = (results: readonly ScenarioResult[]) =>
    results
      .filter((result) => !result.passed)
      .map((result) => `- \`${result.scenario}\`: ${reason(result)}`);
  const lostResults = report.server.gateway.filter((result) =>
    counts.lostThroughGateway.includes(result.scenario),
  );
  return [
    `Measured ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC` +
      (report.revision ? ` at \`${report.revision}\`` : '') +
      ` with \`@modelcontextprotocol/conformance\` ${report.suiteVersion}, Node ${process.versions.node}` +
      (report.gatewayCli ? `, gateway from \`${report.gatewayCli}\`` : '') +
      ':',
    '',
    '| | passed |',
    '|---|---|',
    `| server scenarios, test server directly | ${counts.serverDirect.passed}/${counts.serverDirect.total} |`,
    `| server scenarios, through \`mcpmx serve --http\` | ${counts.serverGateway.passed}/${counts.serverGateway.total} |`,
    `| client scenarios (non-auth, the target), mcpmx client | ${counts.clientNonAuth.passed}/${counts.clientNonAuth.total} |`,
    `| client scenarios (auth/*, target 21), mcpmx client with its own OAuth | ${counts.clientAuth.passed}/${counts.clientAuth.total} |`,
    '',
    'Server scenarios that pass directly but fail through the gateway:',
    '',
    ...(lostResults.length > 0 ? failing(lostResults) : ['- none']),
    '',
    'Failing non-auth client scenarios:',
    '',
    ...(report.client.some((result) => !isAuthScenario(result.scenario) && !result.passed)
      ? failing(report.client.filter((result) => !isAuthScenario(result.scenario)))
      : ['- none']),
    '',
    `Suite command (from tooling/conformance): \`${suiteCommand} server --url <url> --suite all\`, and \`client --command "node dist/bin/mcpmx-client.js" --scenario <name>\` per scenario.`,
  ].join('\n');
}

const BEGIN =
  '<!-- conformance:begin (written by `pnpm --filter @mcpmx/tooling-conformance conformance --write`) -->';
const END = '<!-- conformance:end -->';

/** Replaces the generated section of the doc at `path` (between its markers) with this run. */
export async function writeDocSection(path: string, report: ConformanceReport): Promise<void> {
  const doc = await readFile(path, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(
      `${path}: the markers of the generated section are missing (${BEGIN} ... ${END})`,
    );
  }
  const section = `${BEGIN}\n${renderDocSection(report)}\n${END}`;
  await writeFile(path, doc.slice(0, start) + section + doc.slice(end + END.length));
}
