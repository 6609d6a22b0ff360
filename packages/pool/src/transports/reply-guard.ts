import {
  type JSONRPCMessage,
  ProtocolError as SdkProtocolError,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/client';
import type { RequestId } from './bounded-fetch.js';

/** JSON-RPC "internal error": the code of the answer put in place of one that never comes. */
const INTERNAL_ERROR = -32603;
/** Marks the `data` of that answer, so the session can tell it from a server's own error. */
const UNANSWERED_MARK = 'mcpmx.unanswered';

export interface ReplyGuardOptions {
  /** Told of every response dropped, with the id it carried (`null` for none). */
  onUnexpected: (id: RequestId | null) => void;
  /**
   * Ids of Streamable HTTP requests answered with a plain body (filled by the bounded fetch):
   * once the SDK has read that body, a request it did not answer never will be, so it fails at
   * once instead of at its timeout.
   */
  plainAnswers?: Set<RequestId>;
  /**
   * Whether one send can fail while the connection lives on, as an HTTP POST can: the guard
   * then forgets a request whose send failed at once. Elsewhere (stdio, WebSocket) a failed
   * send means the connection is gone, and closing forgets every request; not watching each
   * send's promise saves a promise and two closures per request. Default false; true when
   * `plainAnswers` is given.
   */
  sendsFailAlone?: boolean;
  /**
   * Sees every message sent, with the SDK's send options, and returns the options to send it
   * with: how the session learns the JSON-RPC id of a request it attributes (see
   * request-attribution.ts). Default: the options as they are.
   */
  onSend?: (
    message: JSONRPCMessage,
    options: TransportSendOptions | undefined,
  ) => TransportSendOptions | undefined;
}

/**
 * Lets through only the responses the session waits for, and reports every other one.
 *
 * The SDK's Protocol looks a response up by `Number(response.id)`: a response with the string
 * id `"3"` (or `"0x3"`, `" 3"`) answers the pending request 3, so a confused or forged answer
 * wins and the real one, arriving next, is dropped as unknown; and a response to no pending
 * request reaches `onerror` as an untyped Error that nobody counts. The guard keeps the ids of
 * the requests sent and not yet answered, matches a response's id exactly (type and value),
 * and drops any other response (never sent, answered already, given up), calling
 * `onUnexpected` with the id it carried (`null` for none).
 *
 * It is a Proxy, not a wrapper class, so that the SDK sees the transport's own members (it
 * tells stdio from HTTP by `"pid" in transport`); only `send` and `onmessage` are its own.
 */
export function guardReplies(transport: Transport, options: ReplyGuardOptions): Transport {
  const { onUnexpected, plainAnswers, onSend } = options;
  const sendsFailAlone = options.sendsFailAlone ?? plainAnswers !== undefined;
  /** Requests sent and not yet answered, cancelled or failed to send. */
  const pending = new Set<RequestId>();
  let downstream: Transport['onmessage'];
  const bound = new WeakMap<object, unknown>();

  const receive: NonNullable<Transport['onmessage']> = (message, extra) => {
    const { method, id } = message as { method?: unknown; id?: unknown };
    // Without a method it is a response (or no valid message at all, which the SDK reports).
    if (method === undefined && isResponse(message)) {
      if (!(typeof id === 'number' || typeof id === 'string') || !pending.delete(id)) {
        onUnexpected(typeof id === 'number' ? id : typeof id === 'string' ? shorten(id) : null);
        return;
      }
    }
    downstream?.(message, extra);
  };

  // Both return the transport's own promise: the guard adds no step to a send or a close.
  const send = (message: JSONRPCMessage, given?: TransportSendOptions): Promise<void> => {
    const options = onSend ? onSend(message, given) : given;
    const id = requestId(message);
    if (id === undefined) {
      const cancelled = cancelledId(message);
      if (cancelled !== undefined) pending.delete(cancelled);
      return transport.send(message, options);
    }
    pending.add(id);
    // A 2026-07-28 request on a per-request stream is cancelled by aborting that stream.
    options?.requestSignal?.addEventListener('abort', () => forget(id), { once: true });
    let sent: Promise<void>;
    try {
      sent = transport.send(message, options);
    } catch (error) {
      forget(id);
      throw error;
    }
    if (sendsFailAlone) {
      sent.then(
        () => {
          // The POST's plain answer has been read whole: this request's answer was not in it.
          if (plainAnswers?.delete(id) && pending.delete(id)) downstream?.(unanswered(id));
        },
        () => forget(id),
      );
    }
    return sent;
  };

  const forget = (id: RequestId) => {
    pending.delete(id);
    plainAnswers?.delete(id);
  };

  const close = (): Promise<void> => {
    pending.clear();
    plainAnswers?.clear();
    return transport.close();
  };

  return new Proxy(transport, {
    get(target, key) {
      if (key === 'send') return send;
      if (key === 'close') return close;
      if (key === 'onmessage') return downstream;
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      // Methods run on the transport itself, so its own callbacks go through the guard too.
      let method = bound.get(value as object);
      if (method === undefined) {
        method = value.bind(target);
        bound.set(value, method);
      }
      return method;
    },
    set(target, key, value) {
      if (key !== 'onmessage') return Reflect.set(target, key, value, target);
      downstream = value as Transport['onmessage'];
      target.onmessage = value === undefined ? undefined : receive;
      return true;
    },
  });
}

/** The longest string id reported as it is; a longer one is cut, so a log line stays small. */
const MAX_REPORTED_ID = 64;

function shorten(id: string): string {
  return id.length > MAX_REPORTED_ID ? `${id.slice(0, MAX_REPORTED_ID)}…` : id;
}

function isResponse(message: JSONRPCMessage): boolean {
  return 'result' in message || 'error' in message;
}

function requestId(message: JSONRPCMessage): RequestId | undefined {
  const { method, id } = message as { method?: unknown; id?: unknown };
  if (method === undefined) return undefined;
  return typeof id === 'number' || typeof id === 'string' ? id : undefined;
}

/** The request a `notifications/cancelled` gives up (the SDK sends one on a timeout). */
function cancelledId(message: JSONRPCMessage): RequestId | undefined {
  if (!('method' in message) || message.method !== 'notifications/cancelled') return undefined;
  const id: unknown = (message.params as { requestId?: unknown } | undefined)?.requestId;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/** The error answer for a request whose HTTP answer ended without a response to it. */
function unanswered(id: RequestId): JSONRPCMessage {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: INTERNAL_ERROR,
      message: 'the answer to this request ended without a response to it',
      data: { [UNANSWERED_MARK]: true },
    },
  } as JSONRPCMessage;
}

/** Why a request failed, when its SDK rejection is that error answer; otherwise undefined. */
export function unansweredReason(error: unknown): string | undefined {
  if (!(error instanceof SdkProtocolError)) return undefined;
  if ((error.data as { [UNANSWERED_MARK]?: unknown })?.[UNANSWERED_MARK] !== true) return undefined;
  return 'the server answered the HTTP request without a response to it (a response to another id, or none), so no answer can come';
}
