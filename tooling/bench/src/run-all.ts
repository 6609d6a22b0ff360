// Runs every benchmark, one after another in this process tree, and writes docs/benchmarks.md:
// the machine, the command, each bench's tables and ratios, and the prose from notes.md.
// Usage: pnpm bench [--quick] [--out <file> | --out -] [--only id,id]
//   --quick  the smoke schedule (about 2 minutes)
//   --out    where to write (default docs/benchmarks.md; `-` prints the document only)
//   --only   run these benches (implies --out - unless --out is given)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { descendantPids } from '@mcpmx/tooling-test-servers';
import { callOverhead } from './benches/call-overhead.js';
import { catalog } from './benches/catalog.js';
import { clientVsSdk } from './benches/client-vs-sdk.js';
import { degradedReplica } from './benches/degraded-replica.js';
import { failover } from './benches/failover.js';
import { gatewayCost } from './benches/gateway-cost.js';
import { gatewayLoad } from './benches/gateway-load.js';
import { giantNames } from './benches/giant-names.js';
import { httpVsSdk } from './benches/http-vs-sdk.js';
import { idleMemory } from './benches/idle-memory.js';
import { poolVsSdk } from './benches/pool-vs-sdk.js';
import { startup } from './benches/startup.js';
import { toolSearch } from './benches/tool-search.js';
import { parseNotes, type RunRecord, renderDocument } from './lib/document.js';
import { sleep } from './lib/measure.js';
import { type Bench, machineInfo, type Section } from './lib/report.js';

const BENCHES: readonly Bench[] = [
  { id: 'pool-vs-sdk', run: poolVsSdk },
  { id: 'client-vs-sdk', run: clientVsSdk },
  { id: 'http-vs-sdk', run: httpVsSdk },
  { id: 'call-overhead', run: callOverhead },
  { id: 'degraded-replica', run: degradedReplica },
  { id: 'failover', run: failover },
  { id: 'gateway-cost', run: gatewayCost },
  { id: 'gateway-load', run: gatewayLoad },
  { id: 'giant-names', run: giantNames },
  { id: 'catalog', run: catalog },
  { id: 'idle-memory', run: idleMemory },
  { id: 'startup', run: startup },
  { id: 'tool-search', run: toolSearch },
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
  },
});
const quick = values.quick === true;
const only = values.only?.split(',').map((id) => id.trim());
for (const id of only ?? []) {
  if (!BENCHES.some((bench) => bench.id === id)) {
    throw new RangeError(
      `--only expects ids from ${BENCHES.map((bench) => bench.id).join(', ')} (got "${id}")`,
    );
  }
}
const root = fileURLToPath(new URL('../../../', import.meta.url));
const invokedFrom = process.env.INIT_CWD ?? process.cwd();
const out = values.out ?? (only ? '-' : path.join(root, 'docs/benchmarks.md'));
const notesFile = fileURLToPath(new URL('../notes.md', import.meta.url));

const args = process.argv.slice(2).join(' ');
const command =
  process.env.npm_lifecycle_event === 'bench'
    ? `\`pnpm bench${args ? ` ${args}` : ''}\` (builds, then \`node tooling/bench/dist/run-all.js${args ? ` ${args}` : ''}\`)`
    : `\`node tooling/bench/dist/run-all.js${args ? ` ${args}` : ''}\``;

const log = (line: string) => process.stderr.write(`${line}\n`);
const start = machineInfo();
const started = performance.now();
const sections: RunRecord['sections'][number][] = [];
const selected = BENCHES.filter((bench) => !only || only.includes(bench.id));
for (const [i, bench] of selected.entries()) {
  log(`[${i + 1}/${selected.length}] ${bench.id} ...`);
  const benchStarted = performance.now();
  let section: Section;
  let failed = false;
  try {
    section = await bench.run({ quick });
  } catch (error) {
    failed = true;
    process.exitCode = 1;
    log(`${bench.id} failed: ${(error as Error).stack ?? String(error)}`);
    section = {
      id: bench.id,
      title: `${bench.id} (failed)`,
      setup: 'The bench failed; no figures.',
      tables: [],
      findings: [`Error: ${(error as Error).message}`],
    };
  }
  const durationMs = performance.now() - benchStarted;
  sections.push({ section, durationMs, failed });
  log(`[${i + 1}/${selected.length}] ${bench.id} done in ${(durationMs / 1000).toFixed(1)} s`);
}

// Every bench closes what it started; give exiting children a moment, then check.
let leftBehind = descendantPids();
for (let wait = 0; leftBehind.length > 0 && wait < 20; wait++) {
  await sleep(250);
  leftBehind = descendantPids();
}
if (leftBehind.length > 0) {
  process.exitCode = 1;
  log(`processes left behind: ${leftBehind.join(', ')}`);
}

const document = renderDocument(
  {
    command,
    schedule: quick
      ? '`--quick`: the smoke schedule, a single short round of each; not for the record'
      : 'full; each section gives its rounds and durations',
    start,
    end: machineInfo(),
    durationMs: performance.now() - started,
    leftBehind,
    sections,
  },
  parseNotes(readFileSync(notesFile, 'utf8')),
);
if (out === '-') {
  process.stdout.write(document);
} else {
  const target = path.resolve(invokedFrom, out);
  writeFileSync(target, document);
  log(`wrote ${path.relative(invokedFrom, target) || target}`);
}
log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
