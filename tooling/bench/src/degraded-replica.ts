// Three replicas of the fault test server answer echo in 2 ms; halfway through, one turns to
// 100 ms. The same closed-loop load runs through @mcpmx/client with P2C peak-EWMA and with
// round-robin, and the script prints p50/p90/p99 for each.
// Usage: node dist/degraded-replica.js [--quick] [--seconds 10 --concurrency 8]
import { degradedReplica } from './benches/degraded-replica.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['seconds', 'concurrency']);
printSection(
  await degradedReplica({
    quick: args.quick,
    seconds: numberOption('seconds', args.seconds),
    concurrency: numberOption('concurrency', args.concurrency),
  }),
);
