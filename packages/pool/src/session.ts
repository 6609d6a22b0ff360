import {
  type CallToolResult,
  type Clock,
  ConnectError,
  createEmitter,
  describeTransport,
  type EndpointDescriptor,
  type ListChangedKind,
  type McpSession,
  type RequestOptions,
  SessionClosedError,
} from '@mcpmx/core';
import { Client, SdkError, SdkErrorCode, type Transport } from '@modelcontextprotocol/client';
import { connectionLost, type ErrorContext, mapRequestError } from './map-error.js';
import { createTransport, type TransportOptions } from './transports/create-transport.js';
import { StdioTransport } from './transports/stdio-transport.js';
import { WebSocketTransport } from './transports/websocket-transport.js';

/** Which protocol revisions to speak. */
export type ProtocolMode = 'auto' | 'legacy' | '2026-07-28';

export interface SessionOptions {
  clock: Clock;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /**
   * 'auto' (default) probes for 2026-07-28 and falls back to the 2025-11-25 `initialize`
   * handshake; 'legacy' speaks only 2025-11-25; '2026-07-28' insists on the new revision.
   */
  protocol: ProtocolMode;
  transport: TransportOptions;
  /** Replaces the built-in transports (see SessionPoolOptions.createTransport). */
  createTransport?: (endpoint: EndpointDescriptor) => Transport;
  clientInfo: { name: string; version: string };
  /** Aborting gives up the handshake and releases the process or socket. */
  signal?: AbortSignal;
}

export interface SessionEvents {
  closed: { reason: string; error?: unknown };
  'list-changed': { kind: ListChangedKind };
}

/** A live session to one endpoint, as the pool manages it. */
export interface Session extends McpSession {
  readonly isClosed: boolean;
  /** When the session last went from idle to busy or finished a request (clock ms). */
  readonly lastUsedAt: number;
  /** Why the session closed, once it has. */
  readonly closeReason: string | undefined;
  on: ReturnType<typeof createEmitter<SessionEvents>>['on'];
  close(): Promise<void>;
}

let sessionCounter = 0;

/** What a transport can tell about its end: exit status and stderr, or the socket close. */
function describeEnd(transport: unknown): string | undefined {
  if (transport instanceof StdioTransport) return transport.describe();
  if (transport instanceof WebSocketTransport) return transport.reason;
  return undefined;
}

/**
 * Opens one MCP session: spawns or connects, runs the handshake within the connect timeout,
 * and fails fast with a ConnectError that says why (command not found, connection refused,
 * garbage on stdout, no answer to initialize) instead of hanging.
 */
export async function openSession(
  endpoint: EndpointDescriptor,
  options: SessionOptions,
): Promise<Session> {
  const where = `${endpoint.server} (${endpoint.id}, ${describeTransport(endpoint.transport)})`;
  const fields = { server: endpoint.server, replica: endpoint.id };
  const transport = options.createTransport
    ? customTransport(endpoint, options.createTransport, where)
    : createTransport(endpoint.transport, options.transport);
  const client = new Client(options.clientInfo, {
    capabilities: {},
    versionNegotiation: {
      mode: options.protocol === '2026-07-28' ? { pin: '2026-07-28' } : options.protocol,
    },
  });

  const aborter = new AbortController();
  let failure: Error | undefined;
  let rejectHandshake: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    rejectHandshake = reject;
  });
  const fail = (error: Error) => {
    failure ??= error;
    aborter.abort(error);
    rejectHandshake(failure);
  };
  if (transport instanceof StdioTransport) transport.ongarbage = fail;
  client.onclose = () =>
    fail(
      new Error(
        `the connection closed during the handshake (${describeEnd(transport) ?? 'no detail'})`,
      ),
    );
  const onAbort = () => fail(new Error('the pool was closed during the handshake'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const timer = options.clock.setTimeout(
    () => fail(new Error(`no answer to the handshake within ${options.connectTimeoutMs} ms`)),
    options.connectTimeoutMs,
  );
  try {
    const connecting = client.connect(transport, {
      signal: aborter.signal,
      timeout: options.connectTimeoutMs,
    });
    connecting.catch(() => undefined);
    await Promise.race([connecting, failed]);
    if (failure) throw failure;
  } catch (error) {
    const cause = failure ?? error;
    // Read how a stdio server ended before closing it (closing would report our own kill).
    const detail = transport instanceof StdioTransport ? transport.describe() : '';
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    const message = cause instanceof Error ? cause.message : String(cause);
    const telling = detail !== '' && detail !== 'process running' && !message.includes(detail);
    const quoted = telling && !message.includes('stderr:') ? `; ${detail}` : '';
    throw new ConnectError(`could not connect to ${where}: ${message}${quoted}`, {
      ...fields,
      cause,
    });
  } finally {
    options.clock.clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  const session = createSession(endpoint, client, transport, options);
  await listenForListChanges(client, options);
  return session;
}

/** Calls the user's transport factory; a throw becomes a ConnectError that names it. */
function customTransport(
  endpoint: EndpointDescriptor,
  factory: (endpoint: EndpointDescriptor) => Transport,
  where: string,
): Transport {
  try {
    return factory(endpoint);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConnectError(`could not connect to ${where}: createTransport threw: ${message}`, {
      server: endpoint.server,
      replica: endpoint.id,
      cause: error,
    });
  }
}

/**
 * On a 2026-07-28 session, list_changed notifications arrive only on a `subscriptions/listen`
 * stream, so open one for every list the server says can change. (On a 2025-11-25 session
 * they arrive unsolicited.) A server that refuses leaves the session usable, without them.
 */
async function listenForListChanges(client: Client, options: SessionOptions): Promise<void> {
  if (client.getProtocolEra() !== 'modern') return;
  const advertised = client.getServerCapabilities();
  const filter = {
    ...(advertised?.tools?.listChanged ? { toolsListChanged: true } : {}),
    ...(advertised?.prompts?.listChanged ? { promptsListChanged: true } : {}),
    ...(advertised?.resources?.listChanged ? { resourcesListChanged: true } : {}),
  };
  if (Object.keys(filter).length === 0) return;
  try {
    await client.listen(filter, { timeout: options.connectTimeoutMs, signal: options.signal });
  } catch {
    // Without the stream the session still works; the catalog is then refreshed on reconnect.
  }
}

function createSession(
  endpoint: EndpointDescriptor,
  client: Client,
  transport: unknown,
  options: SessionOptions,
): Session {
  const id = `${endpoint.id}/s${++sessionCounter}`;
  const events = createEmitter<SessionEvents>();
  let inFlight = 0;
  let lastUsedAt = options.clock.now();
  let closeReason: string | undefined;

  const markClosed = (reason: string, error?: unknown) => {
    if (closeReason !== undefined) return;
    closeReason = reason;
    events.emit('closed', { reason, error });
    events.removeAllListeners();
  };
  client.onclose = () => markClosed(describeEnd(transport) ?? 'connection closed');
  if (transport instanceof StdioTransport) transport.ongarbage = undefined;
  client.onerror = () => undefined;
  for (const kind of ['tools', 'resources', 'prompts'] as const) {
    client.setNotificationHandler(`notifications/${kind}/list_changed`, () => {
      events.emit('list-changed', { kind });
    });
  }

  async function run<T>(
    method: string,
    options_: RequestOptions | undefined,
    send: (sdkOptions: {
      signal?: AbortSignal;
      timeout: number;
      onprogress?: RequestOptions['onProgress'];
      resetTimeoutOnProgress?: boolean;
    }) => Promise<T>,
  ): Promise<T> {
    const timeoutMs = options_?.timeoutMs ?? options.requestTimeoutMs;
    // Built only when a request fails: most do not.
    const context = (): ErrorContext => ({
      server: endpoint.server,
      replica: endpoint.id,
      method,
      timeoutMs,
      signal: options_?.signal,
      closedBecause: () => closeReason ?? describeEnd(transport),
    });
    if (closeReason !== undefined) {
      throw new SessionClosedError(
        `${method} on ${endpoint.server} (${endpoint.id}) was not sent: the session closed (${closeReason})`,
        { server: endpoint.server, replica: endpoint.id, reachedServer: false },
      );
    }
    if (options_?.signal?.aborted) throw mapRequestError(options_.signal.reason, context());
    // While requests are in flight the session is busy, not idle: only the first needs the time.
    if (inFlight++ === 0) lastUsedAt = options.clock.now();
    try {
      return await send({
        signal: options_?.signal,
        timeout: timeoutMs,
        onprogress: options_?.onProgress,
        resetTimeoutOnProgress: options_?.resetTimeoutOnProgress,
      });
    } catch (error) {
      // A transport that can no longer send (a socket CLOSING, a process exiting) is gone even
      // before its close event: mark it, so the retry goes to another session.
      const unsendable = error instanceof SdkError && error.code === SdkErrorCode.NotConnected;
      const lost =
        connectionLost(error) ??
        (unsendable
          ? { reason: describeEnd(transport) ?? 'the connection is closing' }
          : undefined);
      if (lost && closeReason === undefined) {
        markClosed(lost.reason, error);
        void client.close().catch(() => undefined);
      }
      throw mapRequestError(error, context());
    } finally {
      inFlight--;
      lastUsedAt = options.clock.now();
    }
  }

  const serverVersion = client.getServerVersion();
  return {
    id,
    endpoint,
    get inFlight() {
      return inFlight;
    },
    get isClosed() {
      return closeReason !== undefined;
    },
    get lastUsedAt() {
      return lastUsedAt;
    },
    get closeReason() {
      return closeReason;
    },
    protocolVersion: client.getNegotiatedProtocolVersion(),
    serverCapabilities: client.getServerCapabilities(),
    serverInfo: serverVersion
      ? { name: serverVersion.name, version: serverVersion.version }
      : undefined,
    on: events.on,
    callTool: (params, requestOptions) =>
      run(
        'tools/call',
        requestOptions,
        (o) => client.callTool(params, o) as Promise<CallToolResult>,
      ),
    listTools: (params, requestOptions) =>
      run('tools/list', requestOptions, (o) => client.listTools(params, o)),
    listResources: (params, requestOptions) =>
      run('resources/list', requestOptions, (o) => client.listResources(params, o)),
    listResourceTemplates: (params, requestOptions) =>
      run('resources/templates/list', requestOptions, (o) =>
        client.listResourceTemplates(params, o),
      ),
    listPrompts: (params, requestOptions) =>
      run('prompts/list', requestOptions, (o) => client.listPrompts(params, o)),
    readResource: (params, requestOptions) =>
      run('resources/read', requestOptions, (o) => client.readResource(params, o)),
    getPrompt: (params, requestOptions) =>
      run('prompts/get', requestOptions, (o) => client.getPrompt(params, o)),
    complete: (params, requestOptions) =>
      run('completion/complete', requestOptions, (o) =>
        client.complete(params as Parameters<Client['complete']>[0], o),
      ),
    ping: (requestOptions) => run('ping', requestOptions, async (o) => void (await client.ping(o))),
    close: async () => {
      markClosed('closed by the pool');
      await client.close().catch(() => undefined);
    },
  };
}
