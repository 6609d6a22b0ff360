// Failover under kill -9: three replicas of the fault test server, 16 callers of a read-only
// tool; halfway through, one replica's process is killed with SIGKILL. Prints failed calls
// (target: 0), failovers, and latency percentiles overall and in the 5 s after the kill.
// Usage: node dist/failover.js [--quick] [--seconds 20]
import { failover } from './benches/failover.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['seconds']);
printSection(await failover({ quick: args.quick, seconds: numberOption('seconds', args.seconds) }));
