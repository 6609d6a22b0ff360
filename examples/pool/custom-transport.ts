import type { EndpointDescriptor } from '@mcpmx/core';
import { createSessionPool } from '@mcpmx/pool';
import { McpServer } from '@modelcontextprotocol/server';

// Your own server, and the endpoint it stands for.
const createMyServer = () => new McpServer({ name: 'mine', version: '1.0.0' });
const endpoint: EndpointDescriptor = {
  id: 'mine#0',
  server: 'mine',
  transport: { type: 'stdio', command: 'unused' },
};

// #region readme
import { InMemoryTransport } from '@modelcontextprotocol/client';

const pool = createSessionPool(endpoint, {
  createTransport: () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    void createMyServer().connect(serverSide);
    return clientSide;
  },
});
// #endregion readme
await pool.close();
