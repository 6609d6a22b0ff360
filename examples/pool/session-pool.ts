import { closeOnSignals, createSessionPool } from '@mcpmx/pool';

const pool = createSessionPool({
  id: 'everything#0',
  server: 'everything',
  transport: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] },
});
closeOnSignals(pool); // Ctrl-C closes sessions and child processes first

pool.on('status', (change) => console.log(`${change.replica}: ${change.from} -> ${change.to} (${change.reason})`));
const result = await pool.callTool({ name: 'echo', arguments: { message: 'hi' } });
await pool.close();
