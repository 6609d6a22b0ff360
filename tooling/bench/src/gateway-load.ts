// The HTTP gateway under load: `mcpmx serve --http` in front of three server-everything
// replicas; 200 SDK clients call `echo` for 60 s. Prints throughput, latency (client side and
// inside the gateway), errors, and the gateway's RSS, heap and fds before, at peak and after.
// Usage: node dist/gateway-load.js [--quick] [--seconds 60] [--clients 200]
import { gatewayLoad } from './benches/gateway-load.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['seconds', 'clients']);
printSection(
  await gatewayLoad({
    quick: args.quick,
    seconds: numberOption('seconds', args.seconds),
    clients: numberOption('clients', args.clients),
  }),
);
