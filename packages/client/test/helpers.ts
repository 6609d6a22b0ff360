import type { EndpointDescriptor } from '@mcpmx/core';
import { referenceServers, testServers } from '@mcpmx/tooling-test-servers';

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
