import type { CallOptions, MultiServerClient } from '@mcpmx/client';
import type {
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestParams,
  ElicitResult,
  LoggingLevel,
  LoggingMessageNotificationParams,
  Root,
} from '@modelcontextprotocol/server';

// Issue 15's @mcpmx/client API (the lead's contract), as the gateway uses it. The client's
// implementation is on another branch; until it is merged these mirror the contract, and the
// gateway reaches them through `interactive()` below. Replace with imports from @mcpmx/client
// once it exports them.

export interface InteractionContext {
  server: string;
  replica: string;
  signal: AbortSignal;
  call?: { method: string; name?: string; uri?: string };
}

export interface LogContext {
  server: string;
  replica: string;
  call?: InteractionContext['call'];
}

export interface InteractionHandlers {
  onElicitation?: (
    request: ElicitRequestParams,
    context: InteractionContext,
  ) => ElicitResult | Promise<ElicitResult>;
  onSampling?: (
    request: CreateMessageRequestParams,
    context: InteractionContext,
  ) => CreateMessageResult | Promise<CreateMessageResult>;
  roots?:
    | readonly Root[]
    | ((context: InteractionContext) => readonly Root[] | Promise<readonly Root[]>);
}

export type LogListener = (message: LoggingMessageNotificationParams, context: LogContext) => void;

/** CallOptions with the contract's per-call handlers and log listener. */
export interface InteractiveCallOptions extends CallOptions {
  handlers?: InteractionHandlers;
  onLog?: LogListener;
}

/** The contract's additions to createMultiServerClient's options that the gateway sets. */
export interface RelayClientOptions {
  onLog?: LogListener;
  advertise?: { elicitation?: boolean; sampling?: boolean; roots?: boolean };
}

/** The contract's additions to MultiServerClient that the gateway calls. */
export interface InteractiveClient {
  setLogLevel(level: LoggingLevel, server?: string): Promise<void>;
  subscribeResource(
    uri: string,
    listener: (update: { uri: string; server: string }) => void,
  ): Promise<() => Promise<void>>;
}

/** The client, seen with the contract's methods. */
export function interactive(client: MultiServerClient): MultiServerClient & InteractiveClient {
  return client as MultiServerClient & InteractiveClient;
}
