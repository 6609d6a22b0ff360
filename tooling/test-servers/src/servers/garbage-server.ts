// A broken "MCP server": it answers every line on stdin with a line that is not JSON-RPC.
import { createInterface } from 'node:readline';

process.stdout.write('this is not json-rpc\n');
createInterface({ input: process.stdin }).on('line', () => {
  process.stdout.write('<html>garbage, not a JSON-RPC message</html>\n');
});
