import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { Server } from '@modelcontextprotocol/server';
import type { SyntheticServer } from './synthetic-catalog.js';

/** An in-process MCP server (the SDK v2 low-level `Server`) that lists the given tools. */
export function createListingServer(spec: SyntheticServer): Server {
  const server = new Server(
    { name: spec.name, version: '1.0.0' },
    { capabilities: { tools: { listChanged: false } } },
  );
  server.setRequestHandler('tools/list', () => ({ tools: spec.tools }) as never);
  server.setRequestHandler(
    'tools/call',
    () => ({ content: [{ type: 'text', text: 'ok' }] }) as never,
  );
  return server;
}

/**
 * The client side of an in-memory pair whose other side a fresh in-process server serves: for
 * `@mcpmx/pool`'s `createTransport` option, one per session.
 */
export function inProcessTransport(spec: SyntheticServer): InMemoryTransport {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  void createListingServer(spec).connect(serverSide as never);
  return clientSide;
}

/** A bare SDK v2 client connected to a fresh in-process server over an in-memory pair. */
export async function connectInMemory(spec: SyntheticServer, clientName: string): Promise<Client> {
  const client = new Client({ name: clientName, version: '0.0.0' }, { capabilities: {} });
  await client.connect(inProcessTransport(spec));
  return client;
}
