import type { RequestOptions } from '@mcpmx/core';
import type {
  CallToolResult,
  CompleteResult,
  GetPromptResult,
  ReadResourceResult,
} from '@modelcontextprotocol/client';
import type { InteractionHandlers, LogListener } from './interaction/interaction-types.js';
import type { Send } from './routing/call-context.js';
import type { RetryFacts } from './routing/retry-safety.js';

/** Options of one call. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Per-call timeout; default the server's `timeoutMs`, else the client's. */
  timeoutMs?: number;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
  /** Restart the timeout when progress arrives. */
  resetTimeoutOnProgress?: boolean;
  /** Calls with the same key go to the same replica (consistent hashing). */
  affinityKey?: string;
  /** Send to this replica id only, with no failover: for operators probing one replica. */
  replica?: string;
  /**
   * Handlers for the requests that belong to THIS call (they win over server and client ones).
   * This is how the gateway relays an upstream's elicitation/sampling/roots request to the
   * downstream client that made the call. Used for the capabilities the client advertises.
   */
  handlers?: InteractionHandlers;
  /** Log messages that belong to this call (in addition to the client's onLog). */
  onLog?: LogListener;
  /**
   * Whose call this is, for the result cache (`cache.enabled`): calls with different
   * partitions never share a cached result or a call in flight. A gateway passes the caller it
   * serves, so one user's result never reaches another. Default: none, shared with every other
   * call without one.
   */
  cachePartition?: string;
}

// How each kind of request is sent on the replica the call path chose (its ready session or
// its pool): made once, so a call allocates no closure for it. The pool returns results the SDK
// has validated against its own schemas, so they are the SDK's types.
export const sendCallTool: Send<ToolCallParams, CallToolResult> = (via, params, options) =>
  via.callTool(params, options) as Promise<CallToolResult>;
export const sendReadResource: Send<{ uri: string }, ReadResourceResult> = (via, params, options) =>
  via.readResource(params, options) as Promise<ReadResourceResult>;
export const sendGetPrompt: Send<
  { name: string; arguments?: Record<string, string> },
  GetPromptResult
> = (via, params, options) => via.getPrompt(params, options) as Promise<GetPromptResult>;
export const sendComplete: Send<Record<string, unknown>, CompleteResult> = (via, params, options) =>
  via.complete(params, options) as Promise<CompleteResult>;

export interface ToolCallParams {
  name: string;
  arguments?: Record<string, unknown>;
}

export const READ_ONLY: RetryFacts = { annotations: { readOnlyHint: true } };

/** A call with no options of its own shares one frozen options object per timeout. */
export function createRequestOptions() {
  const plain = new Map<number, RequestOptions>();
  return (callOptions: CallOptions | undefined, timeoutMs: number): RequestOptions => {
    if (callOptions === undefined) {
      let shared = plain.get(timeoutMs);
      if (shared === undefined) {
        shared = Object.freeze({ timeoutMs });
        plain.set(timeoutMs, shared);
      }
      return shared;
    }
    return {
      signal: callOptions.signal,
      timeoutMs,
      onProgress: callOptions.onProgress,
      resetTimeoutOnProgress: callOptions.resetTimeoutOnProgress,
    };
  };
}
