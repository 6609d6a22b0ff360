// Echo through @mcpmx/pool against a bare MCP SDK v2 client, both to server-everything over
// stdio, in interleaved rounds at 1 and 16 in flight. Prints median calls/s and the ratio.
// Usage: node dist/pool-vs-sdk.js [--quick] [--rounds 5 --seconds 2]
import { poolVsSdk } from './benches/pool-vs-sdk.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['rounds', 'seconds']);
printSection(
  await poolVsSdk({
    quick: args.quick,
    rounds: numberOption('rounds', args.rounds),
    seconds: numberOption('seconds', args.seconds),
  }),
);
