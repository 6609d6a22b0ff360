import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultServer } from '@mcpmx/fault-server';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { fetchListener } from './http-adapter.js';

/** A real MCP server over Streamable HTTP that records the headers of every request. */
export interface HeaderCapture {
  /** `http://127.0.0.1:<port>/mcp`. */
  url: string;
  /** The headers of each request received, in order. */
  readonly requests: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/**
 * Starts, in this process, the fault server's tools over Streamable HTTP on a free loopback
 * port, keeping the headers of every request: what a client really sent.
 */
export async function startHeaderCapture(): Promise<HeaderCapture> {
  const handler = createMcpHandler(() => createFaultServer({ name: 'capture' }));
  const requests: IncomingHttpHeaders[] = [];
  const serve = fetchListener(handler.fetch);
  const server = createServer((request, response) => {
    requests.push({ ...request.headers });
    serve(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
