import {
  type CallToolResult,
  createEmitter,
  type EndpointDescriptor,
  type McpOperations,
  type McpSession,
  type PoolStats,
  type ReplicaStatus,
  type RequestOptions,
  type SessionPool,
  type SessionPoolEvents,
} from '@mcpmx/core';
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

/** A bare SDK v2 client connected to a fresh in-process server over an in-memory pair. */
export async function connectInMemory(spec: SyntheticServer, clientName: string): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createListingServer(spec).connect(serverSide as never);
  const client = new Client({ name: clientName, version: '0.0.0' }, { capabilities: {} });
  await client.connect(clientSide);
  return client;
}

const sdkOptions = (options: RequestOptions | undefined) => ({
  signal: options?.signal,
  timeout: options?.timeoutMs,
  onprogress: options?.onProgress,
  resetTimeoutOnProgress: options?.resetTimeoutOnProgress,
});

/** The SDK client's calls in McpOperations' shape. */
function operationsOf(client: Client): McpOperations {
  return {
    callTool: (params, options) =>
      client.callTool(params, sdkOptions(options)) as Promise<CallToolResult>,
    listTools: (params, options) => client.listTools(params, sdkOptions(options)) as never,
    listResources: (params, options) => client.listResources(params, sdkOptions(options)) as never,
    listResourceTemplates: (params, options) =>
      client.listResourceTemplates(params, sdkOptions(options)) as never,
    listPrompts: (params, options) => client.listPrompts(params, sdkOptions(options)) as never,
    readResource: (params, options) => client.readResource(params, sdkOptions(options)),
    getPrompt: (params, options) => client.getPrompt(params, sdkOptions(options)),
    complete: (params, options) => client.complete(params as never, sdkOptions(options)),
    ping: async (options) => {
      await client.ping(sdkOptions(options));
    },
  };
}

interface Opened {
  client: Client;
  session: McpSession;
  operations: McpOperations;
}

/**
 * A stand-in for @mcpmx/pool's SessionPool over an in-memory transport, for
 * `createMultiServerClient({ createPool })`. The pool cannot take a custom transport (its
 * transports come from TransportConfig), so this wraps one SDK v2 client per endpoint: one
 * session, opened on the first acquire, the same SDK calls the pool's sessions make. It does
 * no healing, health checks or eviction; the bench measures the catalog path, not those.
 */
export function createInMemoryPool(
  endpoint: EndpointDescriptor,
  spec: SyntheticServer,
): SessionPool {
  const events = createEmitter<SessionPoolEvents>();
  let status: ReplicaStatus = 'unknown';
  let inFlight = 0;
  let opening: Promise<Opened> | undefined;

  const setStatus = (to: ReplicaStatus, reason: string) => {
    const from = status;
    status = to;
    events.emit('status', {
      server: endpoint.server,
      replica: endpoint.id,
      from,
      to,
      reason,
      at: Date.now(),
    });
  };

  const open = (): Promise<Opened> => {
    opening ??= (async () => {
      setStatus('connecting', 'opening the session');
      const client = await connectInMemory(spec, 'mcpmx');
      const operations = operationsOf(client);
      const info = client.getServerVersion();
      const session: McpSession = {
        id: `${endpoint.id}/0`,
        endpoint,
        get inFlight() {
          return inFlight;
        },
        protocolVersion: client.getNegotiatedProtocolVersion(),
        serverInfo: info ? { name: info.name, version: info.version } : undefined,
        serverCapabilities: client.getServerCapabilities(),
        ...operations,
      };
      events.emit('session-opened', { replica: endpoint.id, session: session.id });
      setStatus('up', 'session opened');
      return { client, session, operations };
    })();
    return opening;
  };

  /** Each operation opens the session first and counts itself in flight. */
  const forward = <K extends keyof McpOperations>(name: K): McpOperations[K] => {
    const call = async (...args: unknown[]) => {
      const { operations } = await open();
      inFlight++;
      try {
        return await (operations[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        inFlight--;
      }
    };
    return call as McpOperations[K];
  };

  return {
    endpoint,
    get status() {
      return status;
    },
    acquire: async () => (await open()).session,
    stats: (): PoolStats => ({
      status,
      sessions: opening ? 1 : 0,
      connecting: 0,
      inFlight,
      waiting: 0,
      lastError: undefined,
    }),
    on: events.on,
    callTool: forward('callTool'),
    listTools: forward('listTools'),
    listResources: forward('listResources'),
    listResourceTemplates: forward('listResourceTemplates'),
    listPrompts: forward('listPrompts'),
    readResource: forward('readResource'),
    getPrompt: forward('getPrompt'),
    complete: forward('complete'),
    ping: forward('ping'),
    close: async () => {
      const opened = opening;
      opening = undefined;
      if (opened) await (await opened).client.close();
    },
  };
}
