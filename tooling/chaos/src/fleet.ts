import { join } from 'node:path';
import type { EndpointDescriptor } from '@mcpmx/core';
import { type FaultProxy, startFaultProxy } from '@mcpmx/tooling-fault-proxy';
import { type ChildServer, startFaultHttpServer, testServers } from '@mcpmx/tooling-test-servers';

/** One HTTP replica: the server process and the fault proxy the client reaches it through. */
export interface HttpReplica {
  server: ChildServer;
  proxy: FaultProxy;
}

/**
 * The soak's servers: `alpha`, three fault servers over stdio (the pool spawns them, and
 * respawns them after a kill -9), and `beta`, three fault servers over Streamable HTTP, each
 * behind its own fault proxy. Every replica appends `count` executions to one shared ledger.
 */
export interface Fleet {
  readonly endpoints: readonly EndpointDescriptor[];
  readonly replicasByServer: ReadonlyMap<string, readonly string[]>;
  readonly http: ReadonlyMap<string, HttpReplica>;
  readonly ledger: string;
  close(): Promise<void>;
}

export const SERVERS = ['alpha', 'beta'] as const;
export const REPLICAS = 3;

export async function startFleet(options: { dir: string; latencyMs?: number }): Promise<Fleet> {
  const ledger = join(options.dir, 'ledger.txt');
  const env = { FAULT_LEDGER: ledger, FAULT_LATENCY_MS: String(options.latencyMs ?? 2) };
  const endpoints: EndpointDescriptor[] = [];
  const http = new Map<string, HttpReplica>();
  const close = async () => {
    await Promise.all(
      [...http.values()].map(async ({ server, proxy }) => {
        await proxy.close();
        await server.close();
      }),
    );
  };
  try {
    for (let index = 0; index < REPLICAS; index++) {
      endpoints.push({
        id: `alpha#${index}`,
        server: 'alpha',
        transport: {
          type: 'stdio',
          command: process.execPath,
          args: [testServers.fault],
          env: { ...env, FAULT_NAME: `alpha-${index}` },
        },
      });
    }
    for (let index = 0; index < REPLICAS; index++) {
      const id = `beta#${index}`;
      const server = await startFaultHttpServer({ env: { ...env, FAULT_NAME: `beta-${index}` } });
      const proxy = await startFaultProxy({ port: server.port });
      http.set(id, { server, proxy });
      endpoints.push({
        id,
        server: 'beta',
        transport: { type: 'streamable-http', url: proxy.url(server.url) },
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    endpoints,
    replicasByServer: new Map(
      SERVERS.map((server) => [
        server,
        endpoints.filter((endpoint) => endpoint.server === server).map((endpoint) => endpoint.id),
      ]),
    ),
    http,
    ledger,
    close,
  };
}
