import type {
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestParams,
  ElicitResult,
  LoggingLevel,
  LoggingMessageNotificationParams,
  Root,
} from '@modelcontextprotocol/client';
import type { AdvertiseOption } from './advertise.js';

export type {
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestParams,
  ElicitResult,
  LoggingLevel,
  LoggingMessageNotificationParams,
  Root,
};

/** The call a server request belongs to (see the README for when it is known). */
export interface InteractionCall {
  method: string;
  /** The tool or prompt, as the caller named it. */
  name?: string;
  /** The resource read. */
  uri?: string;
}

export interface InteractionContext {
  /** The logical server that asked. */
  server: string;
  /** The replica id that asked. */
  replica: string;
  /** Aborts when the server cancels, the call ends, the wait times out, or the client closes. */
  signal: AbortSignal;
  /** The call this request belongs to, when it is known. */
  call?: InteractionCall;
}

export interface LogContext {
  server: string;
  replica: string;
  call?: InteractionCall;
}

/** What the client answers when a server asks something of it. */
export interface InteractionHandlers {
  /** elicitation/create (form mode, with SEP-1034 defaults applied to the result; URL mode). */
  onElicitation?: (
    request: ElicitRequestParams,
    context: InteractionContext,
  ) => ElicitResult | Promise<ElicitResult>;
  /** sampling/createMessage. */
  onSampling?: (
    request: CreateMessageRequestParams,
    context: InteractionContext,
  ) => CreateMessageResult | Promise<CreateMessageResult>;
  /** roots/list: a static list or a function. */
  roots?:
    | readonly Root[]
    | ((context: InteractionContext) => readonly Root[] | Promise<readonly Root[]>);
}

export type LogListener = (message: LoggingMessageNotificationParams, context: LogContext) => void;

/** Handlers and log listener for one server (options.servers[name]), overriding the global ones. */
export interface ServerInteractionOptions extends InteractionHandlers {
  onLog?: LogListener;
}

/** The interaction options of createMultiServerClient. */
export interface InteractionOptions extends InteractionHandlers {
  /** Log messages (`notifications/message`) of every server, tagged with server and replica. */
  onLog?: LogListener;
  /** Longest wait for one handler answer, ms (default 600_000); past it the server gets an error. */
  interactionTimeoutMs?: number;
  /**
   * Capabilities to advertise although no client or server handler is set, because per-call
   * handlers (CallOptions.handlers) will answer: what a gateway sets for its downstream clients.
   * `elicitation: true` is both modes; `{ form: true }` or `{ url: true }` names them. A function
   * is asked each time an upstream session opens, and that session is told what it returns.
   */
  advertise?: AdvertiseOption;
}

/**
 * What the client hands the pool with each call, and gets back with every server request that
 * belongs to it: the call, and its own handlers.
 */
export interface CallScope {
  readonly call: InteractionCall;
  readonly handlers: InteractionHandlers | undefined;
  readonly onLog: LogListener | undefined;
}
