// What a gateway costs: SDK clients call echo on server-everything directly, through
// `mcpmx serve --http` and through two peer gateways from npm (supergateway, mcp-proxy), in
// interleaved rounds at 1, 16 and 64 in flight. Prints calls/s, p50/p99 and gateway CPU per call.
// Usage: node dist/gateway-cost.js [--quick] [--rounds 5 --seconds 2]
import { gatewayCost } from './benches/gateway-cost.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['rounds', 'seconds']);
printSection(
  await gatewayCost({
    quick: args.quick,
    rounds: numberOption('rounds', args.rounds),
    seconds: numberOption('seconds', args.seconds),
  }),
);
