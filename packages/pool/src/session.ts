import {
  createEmitter,
  describeTransport,
  type EndpointDescriptor,
  McpmxError,
  type RequestOptions,
  SessionClosedError,
} from '@mcpmx/core';
import {
  Client,
  SdkError,
  SdkErrorCode,
  ProtocolError as SdkProtocolError,
} from '@modelcontextprotocol/client';
import { connectFailure, type FetchFailure } from './connect-failure.js';
import { createHandshakeClock } from './handshake-clock.js';
import {
  afterFirstLeg,
  fulfilInputRounds,
  isInputRequired,
  MULTI_ROUND_METHODS,
} from './input-rounds.js';
import { clientCapabilities } from './interactions.js';
import { checkRequestDepth, unserializableRequest } from './invalid-request.js';
import { type ErrorContext, mapRequestError, networkFailure, sessionGone } from './map-error.js';
import { type Attribution, createAttribution, startAttributed } from './request-attribution.js';
import { type SdkOptions, sdkOperations } from './sdk-operations.js';
import { answer, answerServerRequests } from './server-requests.js';
import { createSessionInteractions } from './session-interactions.js';
import { customTransport, listenForListChanges } from './session-setup.js';
import type { Session, SessionEvents, SessionOptions } from './session-types.js';
import type { RequestId } from './transports/bounded-fetch.js';
import { createTransport } from './transports/create-transport.js';
import { guardReplies } from './transports/reply-guard.js';
import { StdioTransport } from './transports/stdio-transport.js';
import { describeEnd, sendsPerRequest, streamLost } from './transports/transport-facts.js';

export type { ProtocolMode, Session, SessionEvents, SessionOptions } from './session-types.js';

let sessionCounter = 0;

/** The longest delay a Node timer takes (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

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
  const kind = options.createTransport ? 'custom' : endpoint.transport.type;
  // Only a Streamable HTTP POST is answered with a plain body that can end without the answer.
  const plainAnswers = kind === 'streamable-http' ? new Set<RequestId>() : undefined;
  // How the handshake's last HTTP request ended, while it runs: what a failure is described by.
  let lastFetch: FetchFailure | undefined;
  let handshaking = true;
  const { interactions } = options;
  const asks = Object.values(interactions?.capabilities ?? {}).some(Boolean);
  const attribution = interactions ? createAttribution(kind === 'streamable-http') : undefined;
  let failure: Error | undefined;
  const deadline = createHandshakeClock(
    options.clock,
    options.connectTimeoutMs,
    () => fail(new Error(`no answer to the handshake within ${options.connectTimeoutMs} ms`)),
    () => handshaking && !failure,
  );
  const transport = options.createTransport
    ? customTransport(endpoint, options.createTransport, where)
    : createTransport(endpoint.transport, {
        ...options.transport,
        onPlainAnswer: (id) => plainAnswers?.add(id),
        onFetchOutcome: (outcome) => {
          if (handshaking) lastFetch = outcome;
        },
        onStreamRequest: asks ? attribution?.onStreamRequest : undefined,
        // A login may take minutes: the handshake's clock stops while one runs.
        onAuthorizing: (running) => (running ? deadline.pause() : deadline.resume()),
      });
  // Made here, so the reply guard reports to it from the first message; the pool listens once
  // the session is open.
  const events = createEmitter<SessionEvents>();
  const guarded = guardReplies(transport, {
    onUnexpected: (id) => events.emit('unexpected-response', { id }),
    plainAnswers,
    // An HTTP POST can fail alone; on stdio, WebSocket and a custom transport a failed send is
    // taken to mean the connection is gone.
    sendsFailAlone: kind === 'streamable-http' || kind === 'sse',
    onSend: attribution?.onSend,
  });
  const client = new Client(options.clientInfo, {
    capabilities: clientCapabilities(interactions),
    versionNegotiation: {
      mode: options.protocol === '2026-07-28' ? { pin: '2026-07-28' } : options.protocol,
    },
    // 2026-07-28 input rounds are driven by the session, which knows the call (input-rounds.ts).
    ...(asks ? { inputRequired: { autoFulfill: false } } : {}),
  });
  /** The session, once open: server requests during the handshake belong to no call. */
  let opened: Session | undefined;
  if (interactions && attribution) {
    answerServerRequests(client, endpoint, interactions, attribution, () => opened?.inFlight ?? 0);
  }

  const aborter = new AbortController();
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
  deadline.start();
  try {
    const connecting = client.connect(guarded, {
      signal: aborter.signal,
      // With shared auth a login may run inside the handshake: the pool's timer (stopped
      // meanwhile) is then the only deadline.
      timeout: options.transport.auth ? MAX_TIMER_MS : options.connectTimeoutMs,
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
    throw connectFailure(endpoint, cause, {
      where,
      fetch: lastFetch,
      quoted,
    });
  } finally {
    handshaking = false;
    deadline.stop();
    options.signal?.removeEventListener('abort', onAbort);
  }
  opened = createSession(endpoint, client, transport, events, options, attribution);
  await listenForListChanges(client, options);
  return opened;
}

function createSession(
  endpoint: EndpointDescriptor,
  client: Client,
  transport: unknown,
  events: ReturnType<typeof createEmitter<SessionEvents>>,
  options: SessionOptions,
  attribution: Attribution | undefined,
): Session {
  const id = `${endpoint.id}/s${++sessionCounter}`;
  let inFlight = 0;
  let lastUsedAt = options.clock.now();
  let closeReason: string | undefined;
  /** Someone waits for evidence that the server answers (a degraded replica). */
  let answerWanted = false;
  /** Told when the last request in flight ends (see Session.whenIdle). */
  let onIdle: (() => void) | undefined;

  const markClosed = (reason: string, error?: unknown) => {
    if (closeReason !== undefined) return;
    closeReason = reason;
    events.emit('closed', { reason, error });
    events.removeAllListeners();
  };
  const perRequest = sendsPerRequest(transport);
  const end = () => {
    void client.close().catch(() => undefined);
  };
  client.onclose = () => markClosed(describeEnd(transport) ?? 'connection closed');
  if (transport instanceof StdioTransport) transport.ongarbage = undefined;
  // Errors of a request reach its caller; only the loss of a session's stream is handled here.
  client.onerror = (error) => {
    const lost = streamLost(transport, error);
    if (lost !== undefined && closeReason === undefined) {
      markClosed(lost, error);
      end();
    }
  };
  for (const kind of ['tools', 'resources', 'prompts'] as const) {
    client.setNotificationHandler(`notifications/${kind}/list_changed`, () => {
      if (kind === 'tools') sdk.forget();
      events.emit('list-changed', { kind });
    });
  }

  /**
   * Sends one request: `send(params, sdkOptions)` is a function made once per session, not per
   * call, and nothing is built for the error path until a request fails.
   */
  async function run<P, T>(
    method: string,
    params: P,
    options_: RequestOptions | undefined,
    send: (params: P, sdkOptions: SdkOptions) => Promise<T>,
  ): Promise<T> {
    const timeoutMs = options_?.timeoutMs ?? options.requestTimeoutMs;
    if (closeReason !== undefined) {
      throw new SessionClosedError(
        `${method} on ${endpoint.server} (${endpoint.id}) was not sent: the session closed (${closeReason})`,
        { server: endpoint.server, replica: endpoint.id, reachedServer: false },
      );
    }
    if (options_?.signal?.aborted) {
      throw mapRequestError(options_.signal.reason, errorContext(method, timeoutMs, options_));
    }
    checkRequestDepth(params, options.maxRequestDepth, endpoint, method);
    // Only a request the owner attributes runs on its own timer (see request-attribution.ts).
    const attributed =
      attribution && options_?.attribution !== undefined
        ? startAttributed(options.clock, options_.attribution, {
            ...options_,
            timeoutMs,
            allowInputRequired: modern && MULTI_ROUND_METHODS.has(method),
          })
        : undefined;
    inFlight++;
    /** A leg answered input_required: later failures follow a request that reached the server. */
    let multiRound = false;
    try {
      let result: T;
      if (attributed) {
        attribution?.begin(attributed.mark);
        result = await send(params, attributed.sdkOptions);
        const { interactions } = options;
        if (isInputRequired(result) && interactions) {
          multiRound = true;
          const { sdkOptions, mark } = attributed;
          result = await fulfilInputRounds(result, {
            method,
            where,
            fields,
            params: params as P & object,
            retry: (next) => send(next, sdkOptions),
            answer: (request) =>
              answer(
                interactions,
                endpoint,
                request,
                { mark, basis: 'input-required' },
                mark.ended,
              ),
          });
        }
      } else {
        result = await send(params, {
          signal: options_?.signal,
          timeout: timeoutMs,
          onprogress: options_?.onProgress,
          resetTimeoutOnProgress: options_?.resetTimeoutOnProgress,
        });
      }
      if (answerWanted) {
        answerWanted = false;
        events.emit('answered', {});
      }
      return result;
    } catch (error) {
      const mapped = failed(error, method, params, timeoutMs, options_);
      throw multiRound ? afterFirstLeg(mapped) : mapped;
    } finally {
      if (attributed) {
        attributed.finish();
        attribution?.end(attributed.mark);
      }
      // Idle time counts from the end of the last request; while busy, nobody reads it.
      if (--inFlight === 0) {
        lastUsedAt = options.clock.now();
        onIdle?.();
      }
    }
  }

  /**
   * The error a failed request rejects with, and whether the session dies with it. The session
   * ends when the server no longer knows it, when the transport can no longer send (a socket
   * CLOSING, a process exiting: gone even before its close event, so the retry goes to another
   * session), or on a network error of a transport whose connection is the session. Over HTTP
   * a network error fails its own request only. Params that cannot be serialized are the
   * caller's fault, whatever the transport made of them.
   */
  const failed = (
    error: unknown,
    method: string,
    params: unknown,
    timeoutMs: number,
    options_: RequestOptions | undefined,
  ): Error => {
    const unsendable = error instanceof SdkError && error.code === SdkErrorCode.NotConnected;
    const network = networkFailure(error);
    const lost =
      sessionGone(error) ??
      (unsendable ? (describeEnd(transport) ?? 'the connection is closing') : undefined) ??
      (network && !perRequest ? network.reason : undefined);
    if (lost !== undefined && closeReason === undefined) {
      markClosed(lost, error);
      end();
    } else if (network?.neverSent && closeReason === undefined) {
      // This request's own connection was refused: the pool checks whether the server is gone.
      events.emit('unreachable', { reason: network.reason });
    }
    const local =
      lost === undefined &&
      network === undefined &&
      !McpmxError.isInstance(error) &&
      !(error instanceof SdkError) &&
      !(error instanceof SdkProtocolError) &&
      !options_?.signal?.aborted;
    const invalid = local ? unserializableRequest(params, endpoint, method) : undefined;
    return invalid ?? mapRequestError(error, errorContext(method, timeoutMs, options_));
  };

  const errorContext = (
    method: string,
    timeoutMs: number,
    options_: RequestOptions | undefined,
  ): ErrorContext => ({
    server: endpoint.server,
    replica: endpoint.id,
    method,
    timeoutMs,
    signal: options_?.signal,
    perRequest,
    closedBecause: () => closeReason ?? describeEnd(transport),
  });

  const modern = client.getProtocolEra() === 'modern';
  const sdk = sdkOperations(client, modern);
  const where = `${endpoint.server} (${endpoint.id})`;
  const fields = { server: endpoint.server, replica: endpoint.id };

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
    callTool: (params, o) => run('tools/call', params, o, sdk.callTool),
    listTools: (params, o) => run('tools/list', params, o, sdk.listTools),
    listResources: (params, o) => run('resources/list', params, o, sdk.listResources),
    listResourceTemplates: (params, o) =>
      run('resources/templates/list', params, o, sdk.listResourceTemplates),
    listPrompts: (params, o) => run('prompts/list', params, o, sdk.listPrompts),
    readResource: (params, o) => run('resources/read', params, o, sdk.readResource),
    getPrompt: (params, o) => run('prompts/get', params, o, sdk.getPrompt),
    complete: (params, o) => run('completion/complete', params, o, sdk.complete),
    ping: (o) => run('ping', undefined, o, sdk.ping),
    expectAnswer: () => {
      answerWanted = true;
    },
    whenIdle: (listener) => {
      onIdle = listener;
    },
    ...createSessionInteractions(client, {
      modern,
      timeoutMs: options.requestTimeoutMs,
      hasRoots: options.interactions?.capabilities.roots === true,
    }),
    close: async (reason = 'closed by the pool') => {
      markClosed(reason);
      await client.close().catch(() => undefined);
    },
  };
}
