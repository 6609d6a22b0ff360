import type { EndpointDescriptor } from '@mcpmx/core';
import { referenceServers, testServers } from '@mcpmx/tooling-test-servers';
import { afterEach } from 'vitest';
import { createMultiServerClient, type MultiServerClient } from '../src/index.js';

export const faultReplica = (
  server: string,
  index: number,
  env: Record<string, string> = {},
): EndpointDescriptor => ({
  id: `${server}#${index}`,
  server,
  transport: { type: 'stdio', command: process.execPath, args: [testServers.fault], env },
});

export const everything = (): EndpointDescriptor => ({
  id: 'everything#0',
  server: 'everything',
  transport: {
    type: 'stdio',
    command: process.execPath,
    args: [referenceServers.everything, 'stdio'],
  },
});

export const text = (result: { content: unknown[] }) =>
  (result.content[0] as { text?: string } | undefined)?.text;

/** Fast healing and no background health checks, for tests. */
export const testPool = { backoff: { initialMs: 20, maxMs: 200 }, healthCheckIntervalMs: 0 };

/**
 * Registers an afterEach that closes every client made through the returned function, so a
 * failing test leaves no session or process behind. Call it inside a describe block.
 */
export function clientsClosedAfterEach(): (
  ...args: Parameters<typeof createMultiServerClient>
) => MultiServerClient {
  const clients: MultiServerClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  return (...args) => {
    const client = createMultiServerClient(...args);
    clients.push(client);
    return client;
  };
}
