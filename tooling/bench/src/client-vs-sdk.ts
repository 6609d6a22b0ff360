// Routing overhead: echo through @mcpmx/client's MultiServerClient (name → server → replica →
// breaker → balancer → pool), a bare MCP SDK v2 client, and @langchain/mcp-adapters'
// MultiServerMCPClient, each to its own server-everything process over stdio, in interleaved
// rounds at 1 and 16 in flight. Prints median calls/s and the ratios to the bare SDK.
// Usage: node dist/client-vs-sdk.js [--rounds 5 --seconds 2]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { createMultiServerClient } from '@mcpmx/client';
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

const bare = new Client({ name: 'bench-bare', version: '0.0.0' });
await bare.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));

const mcpmx = createMultiServerClient({
  endpoints: [
    { id: 'everything#0', server: 'everything', transport: { type: 'stdio', command, args } },
  ],
  pool: { maxSessions: 1, healthCheckIntervalMs: 0 },
});
await mcpmx.start();

const langchain = new MultiServerMCPClient({
  mcpServers: { everything: { transport: 'stdio', command, args, stderr: 'ignore' } },
  prefixToolNameWithServerName: false,
});
const langchainTools = await langchain.getTools();
const langchainEcho = langchainTools.find((tool) => tool.name === 'echo');
if (!langchainEcho) throw new Error('langchain: no echo tool');

const message = { message: 'bench' };
const clients = {
  'bare SDK v2': () => bare.callTool({ name: 'echo', arguments: message }),
  '@mcpmx/client': () => mcpmx.callTool('echo', message),
  '@langchain/mcp-adapters': () => langchainEcho.invoke(message),
} as const;
type Name = keyof typeof clients;
const results = new Map<string, number[]>();

for (const call of Object.values(clients)) await throughput(call, 16, 500);
for (let round = 0; round < rounds; round++) {
  for (const concurrency of [1, 16]) {
    const names = Object.keys(clients) as Name[];
    // Rotate the order each round so no client always runs first.
    for (let i = 0; i < round % names.length; i++) names.push(names.shift() as Name);
    for (const name of names) {
      const rate = await throughput(clients[name], concurrency, durationMs);
      const key = `${name}@${concurrency}`;
      results.set(key, [...(results.get(key) ?? []), rate]);
    }
  }
}

console.log(`machine: ${await machine()}`);
console.log(`rounds: ${rounds} × ${durationMs} ms per client and concurrency, interleaved\n`);
console.log(
  '| in flight | bare SDK v2 calls/s | @mcpmx/client calls/s | @langchain/mcp-adapters calls/s | mcpmx / bare | langchain / bare |',
);
console.log('|---|---|---|---|---|---|');
for (const concurrency of [1, 16]) {
  const rate = (name: Name) => median(results.get(`${name}@${concurrency}`) ?? []);
  const base = rate('bare SDK v2');
  console.log(
    `| ${concurrency} | ${base.toFixed(0)} | ${rate('@mcpmx/client').toFixed(0)} | ${rate('@langchain/mcp-adapters').toFixed(0)} | ` +
      `${(rate('@mcpmx/client') / base).toFixed(3)} | ${(rate('@langchain/mcp-adapters') / base).toFixed(3)} |`,
  );
}
await bare.close();
await mcpmx.close();
await langchain.close();
