// Echo through @mcpmx/pool against a bare MCP SDK v2 client, both to server-everything over
// stdio, in interleaved rounds at 1 and 16 in flight. Prints median calls/s and the ratio.
// Usage: pnpm bench [-- --rounds 5 --seconds 2]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { createSessionPool } from '@mcpmx/pool';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { machine, median, throughput } from './measure.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, seconds: { type: 'string', default: '2' } },
});
const rounds = Number(values.rounds);
const durationMs = Number(values.seconds) * 1000;
const everything = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);
const command = process.execPath;
const args = [everything, 'stdio'];

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
const results = new Map<string, number[]>();

// Warm-up, then interleaved rounds; the order alternates so neither side always goes first.
for (const call of Object.values(clients)) await throughput(call, 16, 500);
for (let round = 0; round < rounds; round++) {
  for (const concurrency of [1, 16]) {
    const names = Object.keys(clients) as (keyof typeof clients)[];
    if (round % 2 === 1) names.reverse();
    for (const name of names) {
      const rate = await throughput(clients[name], concurrency, durationMs);
      const key = `${name}@${concurrency}`;
      results.set(key, [...(results.get(key) ?? []), rate]);
    }
  }
}

console.log(`machine: ${await machine()}`);
console.log(`rounds: ${rounds} × ${durationMs} ms per client and concurrency, interleaved\n`);
console.log('| in flight | bare SDK v2 calls/s | @mcpmx/pool calls/s | ratio (pool / bare) |');
console.log('|---|---|---|---|');
for (const concurrency of [1, 16]) {
  const bareRate = median(results.get(`bare SDK v2@${concurrency}`) ?? []);
  const poolRate = median(results.get(`@mcpmx/pool@${concurrency}`) ?? []);
  console.log(
    `| ${concurrency} | ${bareRate.toFixed(0)} | ${poolRate.toFixed(0)} | ${(poolRate / bareRate).toFixed(3)} |`,
  );
}
await bare.close();
await pool.close();
