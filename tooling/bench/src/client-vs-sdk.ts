// Routing overhead: echo through @mcpmx/client's MultiServerClient (name → server → replica →
// breaker → balancer → pool), a bare MCP SDK v2 client, and @langchain/mcp-adapters'
// MultiServerMCPClient, each to its own server-everything process over stdio, in interleaved
// rounds at 1 and 16 in flight. Prints median calls/s and the ratios to the bare SDK.
// Usage: node dist/client-vs-sdk.js [--rounds 5 --seconds 2]
import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { createMultiServerClient } from '@mcpmx/client';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { everythingCommand, interleavedMedians, machine, roundsFromArgs } from './measure.js';

const { rounds, durationMs } = roundsFromArgs();
const { command, args } = everythingCommand();

const bare = new Client({ name: 'bench-bare', version: '0.0.0' });
await bare.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
// Like the other two (and any real agent), the bare client lists the tools before calling one;
// the SDK keeps that list to validate results against output schemas.
await bare.listTools();

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
const results = await interleavedMedians(clients, { rounds, durationMs, concurrencies: [1, 16] });

console.log(`machine: ${await machine()}`);
console.log(`rounds: ${rounds} × ${durationMs} ms per client and concurrency, interleaved\n`);
console.log(
  '| in flight | bare SDK v2 calls/s | @mcpmx/client calls/s | @langchain/mcp-adapters calls/s | mcpmx / bare | langchain / bare |',
);
console.log('|---|---|---|---|---|---|');
for (const concurrency of [1, 16]) {
  const rate = (name: Name) => results.get(`${name}@${concurrency}`) ?? Number.NaN;
  const base = rate('bare SDK v2');
  console.log(
    `| ${concurrency} | ${base.toFixed(0)} | ${rate('@mcpmx/client').toFixed(0)} | ${rate('@langchain/mcp-adapters').toFixed(0)} | ` +
      `${(rate('@mcpmx/client') / base).toFixed(3)} | ${(rate('@langchain/mcp-adapters') / base).toFixed(3)} |`,
  );
}
await bare.close();
await mcpmx.close();
await langchain.close();
