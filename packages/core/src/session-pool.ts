import type { Disposer } from './emitter.js';
import type { EndpointDescriptor } from './endpoint.js';
import type {
  CallToolResult,
  ListPage,
  Progress,
  PromptDescriptor,
  ResourceDescriptor,
  ResourceTemplateDescriptor,
  ToolDescriptor,
} from './mcp-types.js';
import type { ReplicaStatus, StatusChange } from './status.js';

export interface RequestOptions {
  /** Aborting sends `notifications/cancelled` to the server and rejects with CancelledError. */
  signal?: AbortSignal;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
  onProgress?: (progress: Progress) => void;
  /** Restart the timeout whenever progress arrives. */
  resetTimeoutOnProgress?: boolean;
  /**
   * Opaque to the pool: handed back with each server-to-client request (and log message) that
   * belongs to this request, so the pool's owner knows which of its calls the server asks about.
   */
  attribution?: unknown;
}

/** The MCP requests mcpmx routes. Implemented by sessions and by the pool's stable handle. */
export interface McpOperations {
  callTool(
    params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> },
    options?: RequestOptions,
  ): Promise<CallToolResult>;
  listTools(
    params?: { cursor?: string },
    options?: RequestOptions,
  ): Promise<ListPage<'tools', ToolDescriptor>>;
  listResources(
    params?: { cursor?: string },
    options?: RequestOptions,
  ): Promise<ListPage<'resources', ResourceDescriptor>>;
  listResourceTemplates(
    params?: { cursor?: string },
    options?: RequestOptions,
  ): Promise<ListPage<'resourceTemplates', ResourceTemplateDescriptor>>;
  listPrompts(
    params?: { cursor?: string },
    options?: RequestOptions,
  ): Promise<ListPage<'prompts', PromptDescriptor>>;
  readResource(params: { uri: string }, options?: RequestOptions): Promise<{ contents: unknown[] }>;
  getPrompt(
    params: { name: string; arguments?: Record<string, string> },
    options?: RequestOptions,
  ): Promise<{ description?: string; messages: unknown[] }>;
  complete(
    params: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<{ completion: unknown }>;
  ping(options?: RequestOptions): Promise<void>;
}

/** One live MCP session. Shared by concurrent requests; never checked out exclusively. */
export interface McpSession extends McpOperations {
  readonly id: string;
  readonly endpoint: EndpointDescriptor;
  /** Requests sent on this session that have not completed. */
  readonly inFlight: number;
  readonly protocolVersion: string | undefined;
  readonly serverInfo: { name: string; version: string } | undefined;
  /** What the server advertised: `tools`, `resources`, `prompts`, `completions`, ... */
  readonly serverCapabilities: ServerCapabilities | undefined;
}

/** The capability flags an MCP server advertises; only presence matters to the router. */
export type ServerCapabilities = {
  tools?: object;
  resources?: object;
  prompts?: object;
  completions?: object;
  logging?: object;
  [key: string]: unknown;
};

export interface PoolStats {
  status: ReplicaStatus;
  sessions: number;
  connecting: number;
  inFlight: number;
  waiting: number;
  lastError: string | undefined;
}

export type ListChangedKind = 'tools' | 'resources' | 'prompts';

export interface SessionPoolEvents {
  status: StatusChange;
  'session-opened': { replica: string; session: string };
  'session-closed': { replica: string; session: string; reason: string; error?: unknown };
  'list-changed': { replica: string; kind: ListChangedKind };
  /**
   * The server sent a response whose id matches no request pending on the session (never sent,
   * already answered, or given up): it was dropped. `id` is the id it carried (null: none).
   */
  'unexpected-response': { replica: string; session: string; id: string | number | null };
}

/**
 * The sessions to one endpoint. The pool itself is a stable handle: its McpOperations acquire
 * the least-loaded live session per call, so a handle held before a heal keeps working after.
 */
export interface SessionPool extends McpOperations {
  readonly endpoint: EndpointDescriptor;
  readonly status: ReplicaStatus;
  /** Resolves with a live session, waiting FIFO up to the acquire timeout. */
  acquire(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<McpSession>;
  /**
   * Optional fast path: the session the pool's operations would use for a request sent now,
   * when one is live and needs no wait and no validation; otherwise undefined, and the caller
   * uses the pool's operations. A request sent on it that fails with a SessionClosedError whose
   * `reachedServer` is false was never sent, and may be sent again through the pool.
   */
  ready?(): McpSession | undefined;
  stats(): PoolStats;
  /**
   * Optional, for pools that answer server requests: sends `notifications/roots/list_changed`
   * on every live session whose revision has it.
   */
  notifyRootsChanged?(): Promise<void>;
  /**
   * Optional: `logging/setLevel` on every live session whose server has logging, remembered and
   * sent again on every session opened later.
   */
  setLogLevel?(level: string): Promise<void>;
  /**
   * Optional: subscribes to updates of one resource on a live session (resources/subscribe, or
   * subscriptions/listen on 2026-07-28), remembered and renewed on every session opened later.
   * Updates reach the pool's owner through its interactions.
   */
  subscribeResource?(uri: string): Promise<void>;
  /** Optional: ends that subscription and forgets it. */
  unsubscribeResource?(uri: string): Promise<void>;
  /**
   * Optional: renews the sessions gracefully, so that the next handshake tells the server what
   * the owner's capabilities are now. The sessions open now take no new request, and each
   * closes (with "renewed: `reason`") once its last request in flight has ended: none is failed
   * or cut. The next request goes to a new session. Resolves once a session opened after the
   * renewal is live (or opening one failed: the acquire timeout ran out, or it was refused), or
   * at once when the pool had no live session (a handshake under way is not used either).
   */
  renewSessions?(reason: string): Promise<void>;
  on<K extends keyof SessionPoolEvents>(
    event: K,
    listener: (payload: SessionPoolEvents[K]) => void,
  ): Disposer;
  /** Closes every session and child process. Idempotent. */
  close(): Promise<void>;
}
