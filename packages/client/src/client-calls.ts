import { createLruCache, createResultCache } from '@mcpmx/aggregator';
import {
  CancelledError,
  type Clock,
  type TelemetryEvents,
  type ToolAnnotations,
  UnknownServerError,
} from '@mcpmx/core';
import type { ServerSettings } from '@mcpmx/registry';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { CallEndEvent, ClientEvents } from './client-api.js';
import type { createLifecycle } from './client-lifecycle.js';
import type { MultiServerClientOptions } from './client-options.js';
import type { InteractionHub } from './interaction/interaction-hub.js';
import { type CallOptions, createRequestOptions, sendCallTool } from './requests.js';
import type { Send } from './routing/call-context.js';
import type { Replica } from './routing/replica.js';
import type { RetryFacts } from './routing/retry-safety.js';
import type { RouteTable } from './routing/route-table.js';

export interface CallParts {
  routes: RouteTable;
  lifecycle: ReturnType<typeof createLifecycle>;
  settingsOf(server: string): ServerSettings;
  /** The client's default per-call timeout. */
  timeoutMs: number;
  cache: MultiServerClientOptions['cache'];
  clock: Clock;
  emit<K extends keyof TelemetryEvents>(event: K, payload: TelemetryEvents[K]): void;
  /** `call-end`, which is the client's own (not a route's). */
  emitCallEnd(payload: CallEndEvent): void;
  wants(event: keyof ClientEvents): boolean;
  /** Gives each call its scope for server requests, when some handler is set. */
  interactions: Pick<InteractionHub, 'enabled' | 'scopeOf'>;
}

/**
 * The `_meta` keys of a tool result that name the server and the replica that answered it. A
 * result the cache served carries those of the call that filled the cache.
 */
export const ANSWERED_BY = {
  server: 'io.mcpmx/server',
  replica: 'io.mcpmx/replica',
} as const;

/**
 * Stamps a tool result with the server and replica that answered it: in place, in the result's
 * own `_meta` (made only when the server sent none), so a call costs one object at most and
 * nothing is copied. A server's own `io.mcpmx/` keys are overwritten, never trusted.
 */
const stampAnswer = (result: CallToolResult, replica: Replica): void => {
  result._meta ??= {};
  const meta = result._meta;
  meta[ANSWERED_BY.server] = replica.server;
  meta[ANSWERED_BY.replica] = replica.id;
};

/**
 * How the facade hands a call to a route: `route` checks the lifecycle, the server and a pinned
 * replica, and builds the route request (adding no promise of its own); `callOn` is one tool
 * call on one server, through the result cache when it is on and the call is cacheable.
 */
export function createCalls(parts: CallParts) {
  const { routes, lifecycle, settingsOf, timeoutMs } = parts;
  const requestOptions = createRequestOptions();
  const resultCache = createResultCache<CallToolResult>({
    cache: createLruCache<CallToolResult>({
      maxEntries: parts.cache?.maxEntries ?? 1000,
      defaultTtlMs: parts.cache?.ttlMs ?? 60_000,
      clock: parts.clock,
    }),
    enabled: parts.cache?.enabled ?? false,
    ...(parts.cache?.isCacheable ? { isCacheable: parts.cache.isCacheable } : {}),
    onCacheEvent: (event) => parts.emit('cache', event),
    now: () => parts.clock.now(),
  });

  const route = <P, T>(
    server: string,
    method: string,
    target: string | undefined,
    facts: RetryFacts,
    callOptions: CallOptions | undefined,
    send: Send<P, T>,
    params: P,
    answered?: (value: T, replica: Replica) => void,
  ): Promise<T> => {
    const refusal = lifecycle.refusal(method, target);
    if (refusal) return Promise.reject(refusal);
    const serverRoute = routes.get(server);
    const pinned = callOptions?.replica;
    if (!serverRoute || (pinned !== undefined && !serverRoute.replicas.has(pinned))) {
      const what = serverRoute
        ? `Server "${server}" has no replica "${pinned}".`
        : `No server named "${server}" is registered.`;
      return Promise.reject(new UnknownServerError(what, { server, replica: pinned }));
    }
    const settings = settingsOf(server);
    const options = requestOptions(
      callOptions,
      callOptions?.timeoutMs ?? settings.timeoutMs ?? timeoutMs,
    );
    const sent = serverRoute.call({
      method,
      target,
      facts,
      affinityKey: callOptions?.affinityKey ?? (settings.stateful ? 'stateful' : undefined),
      replica: pinned,
      signal: callOptions?.signal,
      params,
      // With no handler set, nothing is added: the call's options are today's.
      options: parts.interactions.enabled
        ? { ...options, attribution: scopeFor(method, target, callOptions) }
        : options,
      send,
      answered,
    });
    return parts.wants('call-end') ? reportEnd(sent, server, method, target) : sent;
  };

  const scopeFor = (method: string, target: string | undefined, callOptions?: CallOptions) =>
    parts.interactions.scopeOf(
      method === 'resources/read'
        ? { method, uri: target }
        : target === undefined
          ? { method }
          : { method, name: target },
      callOptions,
    );

  /** Emits `call-end` as `sent` settles: one promise more per call, only while listened to. */
  const reportEnd = <T>(
    sent: Promise<T>,
    server: string,
    method: string,
    target: string | undefined,
  ): Promise<T> => {
    const started = parts.clock.now();
    const end = (outcome: CallEndEvent['outcome']) => {
      const at = parts.clock.now();
      parts.emitCallEnd({ server, method, target, outcome, durationMs: at - started, at });
    };
    return sent.then(
      (value) => {
        end((value as { isError?: unknown }).isError === true ? 'tool-error' : 'success');
        return value;
      },
      (error: unknown) => {
        end(CancelledError.isInstance(error) ? 'cancelled' : 'error');
        throw error;
      },
    );
  };

  const callOn = (
    server: string,
    tool: string,
    target: string,
    annotations: ToolAnnotations | undefined,
    args: Record<string, unknown> | undefined,
    callOptions: CallOptions | undefined,
  ): Promise<CallToolResult> => {
    const facts = {
      annotations,
      configuredIdempotent: settingsOf(server).idempotentTools.includes(tool),
    };
    const params = { name: tool, arguments: args ?? {} };
    if (!parts.cache?.enabled) {
      return route(
        server,
        'tools/call',
        target,
        facts,
        callOptions,
        sendCallTool,
        params,
        stampAnswer,
      );
    }
    const upstream = (signal: AbortSignal | undefined) =>
      route(
        server,
        'tools/call',
        target,
        facts,
        { ...callOptions, signal },
        sendCallTool,
        params,
        stampAnswer,
      );
    const partition = callOptions?.cachePartition;
    return resultCache.call(
      { server, tool, args, annotations, ...(partition === undefined ? {} : { partition }) },
      upstream,
      callOptions?.signal,
    );
  };

  return { route, callOn };
}
