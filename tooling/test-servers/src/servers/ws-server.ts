// The fault-injecting MCP server over WebSocket (subprotocol "mcp") on 127.0.0.1.
// WS_PORT picks the port (0, the default, takes a free one). Prints "LISTENING <port>" when ready.
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { WebSocketServer } from 'ws';
import { createFaultServer, faultOptionsFromEnv } from '../fault-tools.js';
import { WebSocketServerTransport } from '../ws-server-transport.js';

const options = faultOptionsFromEnv();
const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: Number(process.env.WS_PORT ?? 0),
  handleProtocols: (protocols) => (protocols.has('mcp') ? 'mcp' : false),
});
wss.on('connection', (socket) => {
  serveStdio(() => createFaultServer(options), {
    transport: new WebSocketServerTransport(socket),
  });
});
wss.on('listening', () => {
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`LISTENING ${port}\n`);
});
