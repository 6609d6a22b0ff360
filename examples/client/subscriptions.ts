import { createRequire } from 'node:module';
import { createMultiServerClient } from '@mcpmx/client';

const everything = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);
const client = createMultiServerClient({
  config: { mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'] } } },
  roots: [{ uri: 'file:///tmp/project' }],
  onLog: () => undefined,
});
await client.start();
const uri = 'demo://resource/static/document/architecture.md';
let heard!: () => void;
const updated = new Promise<void>((resolve) => {
  heard = resolve;
});

// #region readme
// Updates of one resource, from the server that owns it, across reconnects and replica changes.
const unsubscribe = await client.subscribeResource(uri, ({ uri, server }) => {
  console.log(`${uri} changed on ${server}`);
  heard();
});
await client.callTool('toggle-subscriber-updates', {}); // server-everything: updates on
await updated;
await unsubscribe();
// The log level of every server with logging (or of one), kept for new sessions.
await client.setLogLevel('warning');
// New roots for every server (or one): notifications/roots/list_changed where it applies.
await client.setRoots([{ uri: 'file:///tmp/other-project', name: 'other' }]);
// #endregion readme
await client.callTool('toggle-subscriber-updates', {});
await client.close();
