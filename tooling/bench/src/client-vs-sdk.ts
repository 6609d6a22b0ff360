// Routing overhead: echo through @mcpmx/client, a bare MCP SDK v2 client and
// @langchain/mcp-adapters, each to its own server-everything process over stdio, in interleaved
// rounds at 1 and 16 in flight. Prints median calls/s and the ratios to the bare SDK.
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
