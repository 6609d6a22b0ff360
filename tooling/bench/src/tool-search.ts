// Tool search: recall@1/@5 on the reference servers' tools (alone and among 10,000 synthetic
// ones) against substring matching, and search / index-build times at 10,000 tools.
// Usage: node dist/tool-search.js [--quick]
import { toolSearch } from './benches/tool-search.js';
import { printSection, standaloneArgs } from './lib/report.js';

const args = standaloneArgs([]);
printSection(await toolSearch({ quick: args.quick }));
