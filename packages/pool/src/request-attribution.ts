import {
  type JSONRPCMessage,
  SdkError,
  SdkErrorCode,
  type TransportSendOptions,
} from '@modelcontextprotocol/client';
import { CallTimer } from './call-timer.js';
import type { RequestId } from './transports/bounded-fetch.js';

/**
 * One attributed request in flight. The session passes it to the SDK as the request's
 * `relatedRequestId` (which the SDK hands to the transport's `send` untouched, and which a
 * client transport does not use): the send hook learns the JSON-RPC id from it and strips it.
 */
export class AttributionMark {
  /** The JSON-RPC id the SDK gave the request, once sent. */
  id: RequestId | undefined;
  constructor(
    readonly attribution: unknown,
    readonly timer: CallTimer,
    /** Aborts when the request ends (answered, failed, timed out or cancelled). */
    readonly ended: AbortSignal,
  ) {}
}

/** Server requests remembered per session, waiting for their handler (oldest dropped past it). */
const MAX_STREAM_REQUESTS = 1024;

/**
 * How a server request was tied to the request it belongs to (ServerRequestContext.basis):
 * - `stream`: it came on the SSE stream answering that request's POST (Streamable HTTP), which
 *   is the server saying so;
 * - `input-required`: it came inside that request's own `input_required` result (2026-07-28);
 * - `sole-call`: it came unrelated (stdio, WebSocket, SSE, or the standalone GET stream of
 *   Streamable HTTP) while that request was the only one of the session in flight, sent and
 *   unanswered;
 * - `none`: no attributed request was in flight, or it is a `roots/list` that came unrelated
 *   (roots are the client's, and servers ask for them outside calls: at start-up and on every
 *   change), or it came on the stream of a request made without attribution;
 * - `ambiguous`: it came unrelated while several requests of the session were in flight, so
 *   which one it belongs to cannot be told.
 */
export type AttributionBasis = 'stream' | 'input-required' | 'sole-call' | 'none' | 'ambiguous';

/** What `ownerOf` found: the owner's mark (for `stream` and `sole-call`), and on what basis. */
export interface Ownership {
  mark: AttributionMark | undefined;
  basis: AttributionBasis;
}

const NONE: Ownership = { mark: undefined, basis: 'none' };

/**
 * Which request of a session a server request belongs to:
 * - on Streamable HTTP (`perStream`), the request whose POST's SSE stream carried it (the
 *   bounded fetch reports the pair);
 * - otherwise (other transports, and the standalone GET stream of Streamable HTTP, where the
 *   SDK v2 server's own `elicitInput` and `requestSampling` send), the sole-call rule: the only
 *   request in flight on the session, if it is attributed and already sent. A `roots/list` is
 *   never attributed by this rule (see AttributionBasis).
 * Notifications (log messages) follow the sole-call rule on every transport.
 */
export function createAttribution(perStream: boolean) {
  const byId = new Map<RequestId, AttributionMark>();
  const inFlight = new Set<AttributionMark>();
  const streamOwner = new Map<RequestId, RequestId>();

  /** The only request in flight, attributed and on the wire (sent, not yet answered). */
  const sole = (sessionInFlight: number): AttributionMark | undefined => {
    if (sessionInFlight !== 1 || inFlight.size !== 1) return undefined;
    const mark: AttributionMark | undefined = inFlight.values().next().value;
    return mark?.id !== undefined ? mark : undefined;
  };

  const guess = (method: string, sessionInFlight: number): Ownership => {
    if (method === 'roots/list') return NONE;
    if (sessionInFlight > 1 && inFlight.size > 0) return { mark: undefined, basis: 'ambiguous' };
    const mark = sole(sessionInFlight);
    return mark ? { mark, basis: 'sole-call' } : NONE;
  };

  return {
    /** The reply guard's send hook: records the id of an attributed request, strips the mark. */
    onSend(
      message: JSONRPCMessage,
      options: TransportSendOptions | undefined,
    ): TransportSendOptions | undefined {
      const mark = options?.relatedRequestId as unknown;
      if (!(mark instanceof AttributionMark)) return options;
      const { id, method } = message as { id?: unknown; method?: unknown };
      if (typeof method === 'string' && (typeof id === 'number' || typeof id === 'string')) {
        if (mark.id !== undefined) byId.delete(mark.id);
        mark.id = id;
        byId.set(id, mark);
      }
      const { relatedRequestId: _mark, ...rest } = options as TransportSendOptions;
      return rest;
    },
    /** The bounded fetch's report: a server request arrived on the stream of a POST. */
    onStreamRequest(serverRequestId: RequestId, postRequestId: RequestId): void {
      if (streamOwner.size >= MAX_STREAM_REQUESTS) {
        const oldest = streamOwner.keys().next().value;
        if (oldest !== undefined) streamOwner.delete(oldest);
      }
      streamOwner.set(serverRequestId, postRequestId);
    },
    begin(mark: AttributionMark): void {
      inFlight.add(mark);
    },
    end(mark: AttributionMark): void {
      inFlight.delete(mark);
      if (mark.id !== undefined) byId.delete(mark.id);
    },
    /** The request a server request belongs to, if known, and on what basis. */
    ownerOf(serverRequestId: RequestId, method: string, sessionInFlight: number): Ownership {
      if (perStream) {
        const post = streamOwner.get(serverRequestId);
        if (post !== undefined) {
          streamOwner.delete(serverRequestId);
          // On the stream of a request: that one's, even when it carries no attribution.
          const mark = byId.get(post);
          return mark ? { mark, basis: 'stream' } : NONE;
        }
      }
      return guess(method, sessionInFlight);
    },
    /** The request a notification belongs to: the only one in flight, if so. */
    soleOwner: sole,
  };
}

export type Attribution = ReturnType<typeof createAttribution>;

/** The SDK request options of an attributed request (see startAttributed). */
export interface AttributedSdkOptions {
  signal: AbortSignal;
  timeout: number;
  relatedRequestId: string | number;
  onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
  allowInputRequired?: boolean;
}

/** Longest timeout a Node timer takes; the session's own CallTimer is the real one. */
const NO_SDK_TIMEOUT = 2_147_483_647;

/**
 * Starts one attributed request: its timeout runs on a CallTimer (paused while a handler answers
 * a server request that belongs to it), which aborts the SDK request with the SDK's own timeout
 * error, so it fails exactly as an SDK timeout does; the caller's signal aborts it as before.
 * `finish()` stops the timer and ends `mark.ended`, which aborts handlers still answering.
 */
export function startAttributed(
  clock: ConstructorParameters<typeof CallTimer>[0],
  attribution: unknown,
  request: {
    signal?: AbortSignal;
    timeoutMs: number;
    onProgress?: AttributedSdkOptions['onprogress'];
    resetTimeoutOnProgress?: boolean;
    allowInputRequired: boolean;
  },
) {
  const aborter = new AbortController();
  const callerSignal = request.signal;
  const onCallerAbort = () => aborter.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  if (callerSignal?.aborted) onCallerAbort();
  const timer = new CallTimer(clock, request.timeoutMs, () =>
    aborter.abort(
      new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', {
        timeout: request.timeoutMs,
      }),
    ),
  );
  const mark = new AttributionMark(attribution, timer, aborter.signal);
  const onProgress = request.onProgress;
  const sdkOptions: AttributedSdkOptions = {
    signal: aborter.signal,
    timeout: NO_SDK_TIMEOUT,
    relatedRequestId: mark as unknown as string,
    ...(onProgress || request.resetTimeoutOnProgress
      ? {
          onprogress: (progress) => {
            if (request.resetTimeoutOnProgress) timer.restart();
            onProgress?.(progress);
          },
        }
      : {}),
    ...(request.allowInputRequired ? { allowInputRequired: true } : {}),
  };
  const finish = () => {
    timer.stop();
    callerSignal?.removeEventListener('abort', onCallerAbort);
    if (!aborter.signal.aborted) aborter.abort(new Error('the request ended'));
  };
  return { mark, sdkOptions, finish };
}
