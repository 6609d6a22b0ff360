// The fault-injecting MCP server over WebSocket (subprotocol "mcp") on 127.0.0.1.
// WS_PORT picks the port (0, the default, takes a free one). Prints "LISTENING <port>" when ready.

import {
  createFaultServer,
  createFaultState,
  FaultGate,
  faultOptionsFromEnv,
  GatedTransport,
} from '@mcpmx/fault-server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { WebSocketServer } from 'ws';
import { WebSocketServerTransport } from '../ws-server-transport.js';

const options = faultOptionsFromEnv();
const gate = new FaultGate();
const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: Number(process.env.WS_PORT ?? 0),
  handleProtocols: (protocols) => (protocols.has('mcp') ? 'mcp' : false),
});
wss.on('connection', (socket) => {
  // State per connection, as before; `malformed` sends its text as a raw frame.
  const state = createFaultState(options);
  const writeRaw = (text: string) => socket.send(text);
  serveStdio(() => createFaultServer({ ...options, state, gate, writeRaw }), {
    transport: new GatedTransport(new WebSocketServerTransport(socket), gate),
  });
});
wss.on('listening', () => {
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`LISTENING ${port}\n`);
});
