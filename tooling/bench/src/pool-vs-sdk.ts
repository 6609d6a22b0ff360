// Echo through @mcpmx/pool against a bare MCP SDK v2 client, both to server-everything over
// stdio, in interleaved rounds at 1 and 16 in flight. Prints median calls/s and the ratio.
// Usage: pnpm bench [-- --rounds 5 --seconds 2]
import { createSessionPool } from '@mcpmx/pool';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { everythingCommand, interleavedMedians, machine, roundsFromArgs } from './measure.js';

const { rounds, durationMs } = roundsFromArgs();
const { command, args } = everythingCommand();

// Each client gets its own server-everything process (a stdio process serves one client),
// started the same way; the SDK default request options apply to both.
const bare = new Client({ name: 'bench-bare', version: '0.0.0' });
await bare.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
const pool = createSessionPool(
  { id: 'everything#0', server: 'everything', transport: { type: 'stdio', command, args } },
  { maxSessions: 1, healthCheckIntervalMs: 0 },
);
await pool.acquire();

const echo = { name: 'echo', arguments: { message: 'bench' } };
const clients = {
  'bare SDK v2': () => bare.callTool(echo),
  '@mcpmx/pool': () => pool.callTool(echo),
} as const;
const results = await interleavedMedians(clients, { rounds, durationMs, concurrencies: [1, 16] });

console.log(`machine: ${await machine()}`);
console.log(`rounds: ${rounds} × ${durationMs} ms per client and concurrency, interleaved\n`);
console.log('| in flight | bare SDK v2 calls/s | @mcpmx/pool calls/s | ratio (pool / bare) |');
console.log('|---|---|---|---|');
for (const concurrency of [1, 16]) {
  const bareRate = results.get(`bare SDK v2@${concurrency}`) ?? Number.NaN;
  const poolRate = results.get(`@mcpmx/pool@${concurrency}`) ?? Number.NaN;
  console.log(
    `| ${concurrency} | ${bareRate.toFixed(0)} | ${poolRate.toFixed(0)} | ${(poolRate / bareRate).toFixed(3)} |`,
  );
}
await bare.close();
await pool.close();
