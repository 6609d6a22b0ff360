// stdio: echo through bare SDK 1.x and v2 clients, @mcpmx/client and @langchain/mcp-adapters,
// each to its own server-everything processes (one server, then two alternating), in
// interleaved rounds at 1 and 16 in flight. Prints calls/s, CPU per call and ratios to SDK 1.x.
// Usage: node dist/client-vs-sdk.js [--quick] [--rounds 5 --seconds 2]
import { clientVsSdk } from './benches/client-vs-sdk.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['rounds', 'seconds']);
printSection(
  await clientVsSdk({
    quick: args.quick,
    rounds: numberOption('rounds', args.rounds),
    seconds: numberOption('seconds', args.seconds),
  }),
);
