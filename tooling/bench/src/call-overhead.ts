// What @mcpmx/pool and @mcpmx/client add to a call, in process (no pipes or processes): echo
// over an in-process transport, many short interleaved rounds, median µs per call over bare.
// Usage: node dist/call-overhead.js [--quick] [--rounds 120] [--against <checkout>]
//   --against  another checkout of mcpmx, built: its @mcpmx/client joins the same rounds, so
//              two builds are compared side by side in one process
import { callOverhead } from './benches/call-overhead.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['rounds', 'against']);
printSection(
  await callOverhead({
    quick: args.quick,
    rounds: numberOption('rounds', args.rounds),
    against: args.against,
  }),
);
