import { createMultiServerClient } from '@mcpmx/client';
import { faultServerScript } from '@mcpmx/fault-server';

// One server that starts, and one whose command does not exist.
const client = createMultiServerClient({
  config: {
    mcpServers: {
      flaky: { command: process.execPath, args: [faultServerScript] },
      missing: { command: 'no-such-mcp-server' },
    },
  },
});

// #region readme
const { up, failed } = await client.start();
for (const { server, error } of failed) console.warn(`${server} is down: ${error.message}`);
// #endregion readme
console.log('up:', up.join(', '));
await client.close();
