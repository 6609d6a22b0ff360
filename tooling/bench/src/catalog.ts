// Catalog build and lookup at 200 servers × 50 tools: buildCatalog under each naming policy
// against a naive Map merge, resolveTool against Map.get, and createMultiServerClient's start
// over 200 in-process servers against bare SDK clients plus the naive merge.
// Usage: node dist/catalog.js [--quick] [--servers 200 --tools 50 --runs 21 --lookups 2000000]
import { catalog } from './benches/catalog.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['servers', 'tools', 'runs', 'lookups', 'start-runs']);
printSection(
  await catalog({
    quick: args.quick,
    servers: numberOption('servers', args.servers),
    tools: numberOption('tools', args.tools),
    runs: numberOption('runs', args.runs),
    lookups: numberOption('lookups', args.lookups),
    startRuns: numberOption('start-runs', args['start-runs']),
  }),
);
