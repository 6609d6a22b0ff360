// Runs the conformance suite against mcpmx and prints the table:
//   node dist/bin/run.js [--server-only | --client-only] [--write] [--json]
// --write updates the generated section of docs/conformance.md.
import { join } from 'node:path';
import { packageRoot } from '../runner/conformance-cli.js';
import { formatReport, writeDocSection } from '../runner/report.js';
import { runConformance } from '../runner/run-conformance.js';

const flags = new Set(process.argv.slice(2));
const known = ['--server-only', '--client-only', '--write', '--json'];
const unknown = [...flags].filter((flag) => !known.includes(flag));
if (unknown.length > 0) {
  process.stderr.write(
    `conformance: unknown option ${unknown.join(', ')}; expected ${known.join(', ')}\n`,
  );
  process.exit(2);
}
const report = await runConformance({
  server: !flags.has('--client-only'),
  client: !flags.has('--server-only'),
});
process.stdout.write(
  `${flags.has('--json') ? JSON.stringify(report, null, 2) : formatReport(report)}\n`,
);
if (flags.has('--write')) {
  const doc = join(packageRoot, '../../docs/conformance.md');
  await writeDocSection(doc, report);
  process.stdout.write(`updated ${doc}\n`);
}
