// Memory per idle session: N sessions through @mcpmx/pool against N bare SDK v2 clients to
// server-everything over Streamable HTTP (and a few over stdio), each measured in its own
// `node --expose-gc` process. Prints heap, external and RSS growth per session and the ratios.
// Usage: node dist/idle-memory.js [--quick] [--counts 50,200 --rounds 3 --stdio 10]
import { idleMemory } from './benches/idle-memory.js';
import { numberOption, printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs(['counts', 'rounds', 'stdio']);
const stdio = args.stdio === '0' ? 0 : numberOption('stdio', args.stdio);
printSection(
  await idleMemory({
    quick: args.quick,
    counts: args.counts?.split(',').map((count) => numberOption('counts', count.trim()) as number),
    rounds: numberOption('rounds', args.rounds),
    stdioCount: stdio,
  }),
);
