import { createRequire } from 'node:module';
import { createMultiServerClient } from '@mcpmx/client';

const everything = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);

// #region readme
// A gateway advertises elicitation for its downstream clients and answers per call.
const client = createMultiServerClient({
  config: { mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'] } } },
  advertise: { elicitation: true },
});
await client.start();
const result = await client.callTool(
  'trigger-elicitation-request',
  {},
  {
    handlers: { onElicitation: async () => ({ action: 'accept', content: { name: 'Ada' } }) },
    onLog: (message) => console.log('log of this call:', message.data),
  },
);
// #endregion readme
console.log(result.content.some((item) => item.type === 'text' && item.text.includes('Ada')));
await client.close();
