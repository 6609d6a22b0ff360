import type { EndpointDescriptor, SessionPool, SessionPoolEvents } from '@mcpmx/core';
import { createFaultServer, referenceServers, testServers } from '@mcpmx/tooling-test-servers';
import { InMemoryTransport } from '@modelcontextprotocol/client';
import type { McpServer } from '@modelcontextprotocol/server';
import { afterEach } from 'vitest';

export const stdioEndpoint = (
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
  id = 'srv#0',
): EndpointDescriptor => ({
  id,
  server: id.split('#')[0] ?? id,
  transport: { type: 'stdio', command: process.execPath, args: [script, ...args], env },
});

export const everythingStdio = () => stdioEndpoint(referenceServers.everything, ['stdio']);
export const faultStdio = (env: Record<string, string> = {}) =>
  stdioEndpoint(testServers.fault, [], env, 'fault#0');

/** An endpoint that is only a description: the pool's createTransport decides what it talks to. */
export const inProcessEndpoint: EndpointDescriptor = {
  id: 'in-process#0',
  server: 'in-process',
  transport: { type: 'stdio', command: 'unused' },
};

/**
 * For pool tests over in-process fault servers: registers an afterEach that closes every server
 * made (call it inside a describe block) and returns a function that gives each test a
 * createTransport factory, which links each new session to a fresh server, with counts of the
 * transports made and the servers closed.
 */
export function inProcessFaultServers() {
  const servers: McpServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return () => {
    const made: InMemoryTransport[] = [];
    const closed = { count: 0 };
    const createTransport = () => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const server = createFaultServer();
      server.server.onclose = () => closed.count++;
      servers.push(server);
      void server.connect(serverSide);
      made.push(clientSide);
      return clientSide;
    };
    return { made, closed, createTransport };
  };
}

/** Resolves with the first event of `name` that matches, or rejects after `timeoutMs`. */
export function nextEvent<K extends keyof SessionPoolEvents>(
  pool: SessionPool,
  name: K,
  matches: (payload: SessionPoolEvents[K]) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<SessionPoolEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no "${String(name)}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = pool.on(name, (payload) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

export const text = (result: { content: unknown[] }) =>
  (result.content[0] as { text?: string } | undefined)?.text;

/** The pid the fault server reports for itself. */
export async function serverPid(pool: SessionPool): Promise<number> {
  const result = await pool.callTool({ name: 'stats', arguments: {} });
  return (result.structuredContent as { pid: number }).pid;
}
