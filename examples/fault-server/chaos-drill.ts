import { createRequire } from 'node:module';
import { createMultiServerClient } from '@mcpmx/client';
import { faultServerScript, startEverythingHttp } from '@mcpmx/fault-server';

const require = createRequire(import.meta.url);
const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const first = await startEverythingHttp(everything, 'streamableHttp');
const second = await startEverythingHttp(everything, 'streamableHttp');
const client = createMultiServerClient({
  config: {
    mcpServers: {
      everything: { replicas: [{ url: first.url }, { url: second.url }] },
      flaky: { command: process.execPath, args: [faultServerScript], env: { FAULT_LATENCY_MS: '50' } },
    },
  },
});
await client.start();
await first.kill(); // SIGKILL
await client.callTool('everything__echo', { message: 'still answered' }); // by the other replica
await first.restart(); // on the same port; the client reconnects to it
const failed = await client.callTool('fail', { message: 'injected' });
console.log(failed.isError); // true: the flaky server's tool error
await client.close();
await Promise.all([first.close(), second.close()]);
