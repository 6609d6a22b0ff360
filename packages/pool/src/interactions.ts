import type { Client } from '@modelcontextprotocol/client';
import { ProtocolError as SdkProtocolError } from '@modelcontextprotocol/client';
import type { AttributionBasis } from './request-attribution.js';

/** A request a server sends its client, as the pool hands it to its owner. */
export interface ServerRequest {
  method: 'elicitation/create' | 'sampling/createMessage' | 'roots/list';
  params: Record<string, unknown>;
}

/** A notification the pool passes on to its owner. */
export interface ServerNotification {
  method: 'notifications/message' | 'notifications/resources/updated';
  params: Record<string, unknown>;
}

export interface ServerRequestContext {
  /** The replica (endpoint id) whose server asked. */
  replica: string;
  /** Aborts when the server cancels its request, or the request it belongs to ends. */
  signal: AbortSignal;
  /**
   * The `attribution` of the request this one belongs to (RequestOptions.attribution), when the
   * pool knows it (`basis` says how): on Streamable HTTP, the request whose POST stream carried
   * it; else the only attributed request in flight on the session (never for `roots/list`).
   * Undefined otherwise.
   */
  attribution: unknown;
  /** How `attribution` was found, or why there is none (see AttributionBasis). */
  basis: AttributionBasis;
}

export interface ServerNotificationContext {
  replica: string;
  /** The only attributed request in flight on the session when it arrived, if any. */
  attribution: unknown;
}

/**
 * What the pool's owner answers when a server asks something of the client. Given, the pool's
 * sessions advertise the capabilities named here and send each server request to `onRequest`;
 * not given, sessions advertise nothing and a server request gets -32601, as before.
 */
export interface PoolInteractions {
  /**
   * The client capabilities to advertise: only those with an answer behind them. Read as each
   * session opens. `elicitation: true` is both modes (form, url); an object names the modes.
   */
  readonly capabilities: {
    elicitation?: boolean | { form?: boolean; url?: boolean };
    sampling?: boolean;
    roots?: boolean;
  };
  /**
   * Answers one server request with its result. A throw (or rejection) answers the server with a
   * JSON-RPC error: the thrown code when it is a number, else -32603, with the error's message.
   */
  onRequest(
    request: ServerRequest,
    context: ServerRequestContext,
  ): Promise<Record<string, unknown>>;
  /** `notifications/message` (log) and `notifications/resources/updated`. */
  onNotification?(notification: ServerNotification, context: ServerNotificationContext): void;
}

/** The SDK capabilities for what the owner answers (SEP-1034 defaults applied to forms). */
export function clientCapabilities(interactions: PoolInteractions | undefined) {
  const wanted = interactions?.capabilities;
  return {
    ...(wanted?.elicitation ? { elicitation: elicitationCapability(wanted.elicitation) } : {}),
    ...(wanted?.sampling ? { sampling: {} } : {}),
    ...(wanted?.roots ? { roots: { listChanged: true } } : {}),
  };
}

/** The modes of an advertised elicitation capability; `true` is both. */
function elicitationCapability(modes: true | { form?: boolean; url?: boolean }) {
  const form = modes === true || modes.form === true;
  const url = modes === true || modes.url === true;
  return { ...(form ? { form: { applyDefaults: true } } : {}), ...(url ? { url: {} } : {}) };
}

/** Answers server requests of one session: the owner's answer, or a JSON-RPC error. */
export type Dispatch = (
  request: ServerRequest,
  serverRequestId: string | number,
  signal: AbortSignal,
) => Promise<Record<string, unknown>>;

/**
 * Registers the SDK handlers for the server requests the owner answers, and for the
 * notifications it hears. A 2025-11-25 server sends them as requests on the session; on
 * 2026-07-28 they come inside `input_required` results instead (see input-rounds.ts).
 */
export function registerInteractions(
  client: Client,
  interactions: PoolInteractions,
  dispatch: Dispatch,
  notify: (notification: ServerNotification) => void,
): void {
  const { capabilities } = interactions;
  const methods = [
    ...(capabilities.elicitation ? (['elicitation/create'] as const) : []),
    ...(capabilities.sampling ? (['sampling/createMessage'] as const) : []),
    ...(capabilities.roots ? (['roots/list'] as const) : []),
  ];
  for (const method of methods) {
    client.setRequestHandler(method, async (request, context) => {
      const params = (request.params ?? {}) as Record<string, unknown>;
      const result = await dispatch({ method, params }, context.mcpReq.id, context.mcpReq.signal);
      // The SDK validates the answer against the method's result schema.
      return result as never;
    });
  }
  if (interactions.onNotification === undefined) return;
  for (const method of ['notifications/message', 'notifications/resources/updated'] as const) {
    client.setNotificationHandler(method, (notification) =>
      notify({ method, params: (notification.params ?? {}) as Record<string, unknown> }),
    );
  }
}

/**
 * The JSON-RPC error a failed answer becomes: a protocol error as it is; else the error's own
 * numeric `code` (-32601 for a method nobody answers), or -32603, with its message.
 */
export function answerError(error: unknown): Error {
  if (error instanceof SdkProtocolError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return new SdkProtocolError(Number.isSafeInteger(code) ? (code as number) : -32603, message);
}
