// One hostile request: `tools/call` with unknown names of 64 characters up to almost 4 MiB
// against `mcpmx serve --http` with a 10,000-tool catalog; then /healthz while 50 run at once.
// Usage: node dist/giant-names.js [--quick] [--calls 20]
import { giantNames } from './benches/giant-names.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['calls']);
printSection(await giantNames({ quick: args.quick, calls: numberOption('calls', args.calls) }));
