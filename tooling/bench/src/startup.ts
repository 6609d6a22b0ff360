// Start-up: @mcpmx/client's start() over 20 stdio servers against the slowest single connect
// and 20 bare SDK clients at once (server-everything, and behind a 1 s start delay), then the
// demo's time from launch to its first routed call.
// Usage: node dist/startup.js [--quick] [--servers 20]
import { startup } from './benches/startup.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['servers']);
printSection(await startup({ quick: args.quick, servers: numberOption('servers', args.servers) }));
