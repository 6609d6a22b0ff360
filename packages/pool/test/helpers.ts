import type { EndpointDescriptor, SessionPool, SessionPoolEvents } from '@mcpmx/core';
import { referenceServers, testServers } from '@mcpmx/tooling-test-servers';

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
