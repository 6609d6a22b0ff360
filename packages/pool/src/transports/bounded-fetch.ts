import { MessageTooLargeError } from '@mcpmx/core';
import { ProtocolError as SdkProtocolError } from '@modelcontextprotocol/client';
import type { FetchFailure } from '../connect-failure.js';
import { ownSignal } from './request-signal.js';

/** The fetch signature the SDK's HTTP transports accept as their `fetch` option. */
export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** JSON-RPC "internal error", the code of the error answer put in place of a message too large. */
const INTERNAL_ERROR = -32603;
/** Marks the `data` of that error answer, so the session can tell it from a server's own error. */
const OVERSIZE_MARK = 'mcpmx.messageTooLarge';
const LF = 0x0a;
const CR = 0x0d;
/** Statuses whose responses have no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch for the SDK's Streamable HTTP and SSE transports that reads no message past
 * `maxMessageBytes`, so a server cannot grow this process's memory with one huge answer:
 * - a plain body (JSON, or an error page) is bounded as a whole: reading stops at the limit,
 *   the connection is dropped, and the body fails with a MessageTooLargeError, which the SDK
 *   passes to the request as it is;
 * - an SSE stream is bounded per event, since a long-lived stream carries many messages: an
 *   event is passed on only once it is whole. On a POST's stream (the answer to one request)
 *   an event over the limit is replaced by a JSON-RPC error answer to that request, and the
 *   stream ends: that request fails with a MessageTooLargeError, and nothing else is touched.
 *   On a stream that answers no one request (the GET stream), the stream fails instead.
 */
export interface BoundedFetchOptions {
  maxMessageBytes: number;
  /** The fetch to bound. Default: the global fetch. */
  base?: FetchLike;
  /**
   * Called with the id of the request a POST carried when its answer is a plain body (JSON, not
   * an SSE stream): that body is the whole answer, so once the SDK has read it, a request it did
   * not answer never will be (see guardReplies).
   */
  onPlainAnswer?: (id: RequestId) => void;
  /**
   * Told how each request ended at the HTTP level: a status of 400 or more, or a network error
   * (the request's URL with it), or `undefined` for an answer that succeeded. A failed handshake
   * is described from the last one (see connectFailure).
   */
  onOutcome?: (failure: FetchFailure | undefined) => void;
  /**
   * Told of each request the server sends on the SSE stream that answers a POST, with the id of
   * the request that POST carried: the server request belongs to that one (see
   * request-attribution.ts). Events are read for this only when it is given.
   */
  onStreamRequest?: (serverRequestId: RequestId, postRequestId: RequestId) => void;
}

export function createBoundedFetch(options: BoundedFetchOptions): FetchLike {
  const { maxMessageBytes, base = fetch, onPlainAnswer, onOutcome, onStreamRequest } = options;
  return async (url, init) => {
    let response: Response;
    const own = ownSignal(init);
    try {
      response = await base(url, own.init);
    } catch (error) {
      own.release();
      onOutcome?.({ url: String(url), error });
      throw error;
    }
    onOutcome?.(response.status >= 400 ? { url: String(url), status: response.status } : undefined);
    if (response.body === null || NULL_BODY.has(response.status)) {
      own.release();
      return response;
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    const sse = type === 'text/event-stream';
    // A 202 says the answer will come on the GET stream; any other success carries it.
    if (
      !sse &&
      response.ok &&
      response.status !== 202 &&
      onPlainAnswer &&
      init?.method === 'POST'
    ) {
      const id = requestIdOf(init);
      if (id !== undefined) onPlainAnswer(id);
    }
    const body = sse
      ? boundEvents(
          response.body,
          maxMessageBytes,
          own.release,
          () => requestIdOf(init),
          onStreamRequest,
        )
      : boundBody(
          response.body,
          maxMessageBytes,
          own.release,
          Number(response.headers.get('content-length')),
        );
    const bounded = new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // The SDK reads where a redirect points from these, which a new Response does not carry.
    for (const key of ['url', 'redirected', 'type'] as const) {
      Object.defineProperty(bounded, key, { value: response[key] });
    }
    return bounded;
  };
}

/**
 * The MessageTooLargeError an SDK rejection stands for, when it is the error answer this fetch
 * put in place of an SSE event over the limit; otherwise undefined.
 */
export function oversizeOf(error: unknown): MessageTooLargeError | undefined {
  if (!(error instanceof SdkProtocolError)) return undefined;
  const data = error.data as { [OVERSIZE_MARK]?: unknown; limit?: unknown; size?: unknown };
  if (data?.[OVERSIZE_MARK] !== true) return undefined;
  const limit = Number(data.limit);
  const size = Number(data.size);
  return tooLarge(limit, size, 'an SSE event');
}

function tooLarge(limit: number, size: number, what: string): MessageTooLargeError {
  return new MessageTooLargeError(
    `the server sent ${what} larger than maxMessageBytes (${limit} bytes; reading stopped at ${size} bytes)`,
    { limit, size },
  );
}

/** A plain body, bounded as a whole; a declared Content-Length over the limit fails at once. */
function boundBody(
  source: ReadableStream<Uint8Array>,
  limit: number,
  ended: () => void,
  declared: number,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let bytes = 0;
  return new ReadableStream<Uint8Array>(
    endsWith(ended, {
      async pull(controller) {
        if (declared > limit) {
          await reader.cancel().catch(() => undefined);
          controller.error(tooLarge(limit, declared, 'an answer'));
          return true;
        }
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return true;
        }
        bytes += value.byteLength;
        if (bytes > limit) {
          await reader.cancel().catch(() => undefined);
          controller.error(tooLarge(limit, bytes, 'an answer'));
          return true;
        }
        controller.enqueue(value);
        return false;
      },
      cancel: (reason) => reader.cancel(reason),
    }),
  );
}

/**
 * A stream's source that calls `ended` when the stream is over: `pull` says so (it closed or
 * failed the stream), `pull` threw, or the reader cancelled (which may come after the end:
 * `ended` must bear a second call).
 */
function endsWith(
  ended: () => void,
  source: {
    pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<boolean>;
    cancel(reason: unknown): Promise<void>;
  },
): {
  pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void>;
  cancel(reason: unknown): Promise<void>;
} {
  return {
    async pull(controller) {
      let over = true;
      try {
        over = await source.pull(controller);
      } finally {
        if (over) ended();
      }
    },
    cancel(reason) {
      ended();
      return source.cancel(reason);
    },
  };
}

export type RequestId = string | number;

/** The id of the JSON-RPC request one whole SSE event carries, if it carries a request. */
function serverRequestIdOf(parts: Uint8Array[]): RequestId | undefined {
  const decoder = new TextDecoder();
  let text = '';
  for (const part of parts) text += decoder.decode(part, { stream: true });
  text += decoder.decode();
  if (!text.includes('"method"')) return undefined;
  const data = text
    .split(/\r\n|\r|\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
    .join('\n');
  try {
    const message = JSON.parse(data) as { method?: unknown; id?: unknown };
    const { method, id } = message;
    if (typeof method !== 'string') return undefined;
    return typeof id === 'string' || typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An SSE stream, bounded per event. Events are split on blank lines at the byte level (lines
 * end in LF, CRLF or CR, as the SSE spec says), each held back until whole, so the SDK's event
 * parser never buffers more than one event within the limit.
 */
function boundEvents(
  source: ReadableStream<Uint8Array>,
  limit: number,
  ended: () => void,
  requestId: () => RequestId | undefined,
  onStreamRequest?: (serverRequestId: RequestId, postRequestId: RequestId) => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const postId = onStreamRequest ? requestId() : undefined;
  const watch =
    onStreamRequest && postId !== undefined
      ? (parts: Uint8Array[]) => {
          const serverRequestId = serverRequestIdOf(parts);
          if (serverRequestId !== undefined) onStreamRequest(serverRequestId, postId);
        }
      : undefined;
  /** The current event's bytes, not passed on yet. */
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  /** Bytes of the current line so far, its terminator excluded. */
  let lineBytes = 0;
  /** The last byte was a CR: an LF right after it ends the same line. */
  let afterCR = false;
  /** The stream was closed, or answered with an error and closed: it is over. */
  let over = false;

  const overflow = async (
    controller: ReadableStreamDefaultController<Uint8Array>,
    size: number,
  ): Promise<void> => {
    held = [];
    heldBytes = 0;
    over = true;
    await reader.cancel().catch(() => undefined);
    const id = requestId();
    if (id === undefined) {
      controller.error(tooLarge(limit, size, 'an SSE event'));
      return;
    }
    const answer = {
      jsonrpc: '2.0',
      id,
      error: {
        code: INTERNAL_ERROR,
        message: `an SSE event was larger than maxMessageBytes (${limit} bytes)`,
        data: { [OVERSIZE_MARK]: true, limit, size },
      },
    };
    controller.enqueue(
      new TextEncoder().encode(`event: message\ndata: ${JSON.stringify(answer)}\n\n`),
    );
    controller.close();
  };

  /**
   * Takes one chunk: true once it passed something on or ended the stream. A pull must do one
   * of those (or wait): a stream calls pull again only when a read arrives during the last one.
   */
  const take = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const { done, value: chunk } = await reader.read();
    if (done) {
      // An unfinished last event: passed on as it is (an SSE parser drops it).
      for (const part of held) controller.enqueue(part);
      held = [];
      controller.close();
      over = true;
      return true;
    }
    let start = 0;
    let index = 0;
    let lf = chunk.indexOf(LF);
    let cr = chunk.indexOf(CR);
    while (lf !== -1 || cr !== -1) {
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === lf) lf = chunk.indexOf(LF, end + 1);
      else cr = chunk.indexOf(CR, end + 1);
      const crlf = chunk[end] === LF && afterCR && end === index;
      afterCR = chunk[end] === CR;
      const blank = !crlf && lineBytes + (end - index) === 0;
      lineBytes = 0;
      index = end + 1;
      if (!blank) continue;
      // A blank line ends the event: pass it on whole, or give up on it.
      const size = heldBytes + (index - start);
      if (size > limit) {
        await overflow(controller, size);
        return true;
      }
      watch?.([...held, chunk.subarray(start, index)]);
      for (const part of held) controller.enqueue(part);
      controller.enqueue(chunk.subarray(start, index));
      held = [];
      heldBytes = 0;
      start = index;
    }
    lineBytes += chunk.length - index;
    if (index < chunk.length) afterCR = false;
    if (start === chunk.length) return start > 0;
    heldBytes += chunk.length - start;
    if (heldBytes > limit) {
      await overflow(controller, heldBytes);
      return true;
    }
    held.push(chunk.subarray(start));
    return start > 0;
  };

  return new ReadableStream<Uint8Array>(
    endsWith(ended, {
      async pull(controller) {
        while (!(await take(controller))) {
          // The chunk belonged to an event not yet whole: read on.
        }
        return over;
      },
      cancel: (reason) => reader.cancel(reason),
    }),
  );
}

/**
 * The id a request's own serialization ends with: the SDK writes a request as `{"method":…,
 * …,"id":N}`, so the id is read from the last characters instead of parsing what may be a body
 * of megabytes. Anything else (a batch, a response, another order) is parsed.
 */
const TRAILING_ID = /"id":(-?\d{1,16}|"(?:[^"\\]|\\.){0,64}")\}$/;
const TAIL_CHARS = 160;

/** The id of the request a POST carried (the first one of a batch), read only when needed. */
function requestIdOf(init: RequestInit | undefined): RequestId | undefined {
  if (init?.method !== 'POST' || typeof init.body !== 'string') return undefined;
  const body = init.body;
  if (body.startsWith('{"method":')) {
    const match = TRAILING_ID.exec(body.length > TAIL_CHARS ? body.slice(-TAIL_CHARS) : body);
    if (match?.[1] !== undefined) return JSON.parse(match[1]) as RequestId;
  }
  try {
    const parsed: unknown = JSON.parse(body);
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    for (const message of messages as { id?: unknown; method?: unknown }[]) {
      const id = message?.id;
      if (
        typeof message?.method === 'string' &&
        (typeof id === 'string' || typeof id === 'number')
      ) {
        return id;
      }
    }
  } catch {
    // Not JSON: no request to answer.
  }
  return undefined;
}
