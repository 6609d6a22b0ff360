// Streamable HTTP: echo through bare SDK 1.x and v2 clients, @mcpmx/client and
// @langchain/mcp-adapters to server-everything over HTTP (one server, then three replicas), in
// interleaved rounds at 1 and 16 in flight. Prints calls/s, CPU per call and ratios to SDK 1.x.
// Usage: node dist/http-vs-sdk.js [--quick] [--rounds 5 --seconds 2]
import { httpVsSdk } from './benches/http-vs-sdk.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['rounds', 'seconds']);
printSection(
  await httpVsSdk({
    quick: args.quick,
    rounds: numberOption('rounds', args.rounds),
    seconds: numberOption('seconds', args.seconds),
  }),
);
