// What @mcpmx/pool and @mcpmx/client add to a call, in process (no pipes or processes): echo
// over an in-process transport, many short interleaved rounds, median µs per call over bare.
// Usage: node dist/call-overhead.js [--quick] [--rounds 120]
import { callOverhead } from './benches/call-overhead.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['rounds']);
printSection(
  await callOverhead({ quick: args.quick, rounds: numberOption('rounds', args.rounds) }),
);
