import { createMultiServerClient } from '@mcpmx/client';

const client = createMultiServerClient({ config: './mcp.json', env: process.env });
await client.start();
console.log(client.listTools().map((tool) => tool.name)); // federated names, ^[a-zA-Z0-9_-]{1,64}$
const result = await client.callTool('read_text_file', { path: '/tmp/a.txt' }, { timeoutMs: 5000 });
const all = await client.fanOut('search', { q: 'mcp' }, { perServerTimeoutMs: 2000 });
await client.close();
