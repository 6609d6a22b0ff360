import { createLruCache, createResultCache } from '@mcpmx/aggregator';
import {
  type Clock,
  type TelemetryEvents,
  type ToolAnnotations,
  UnknownServerError,
} from '@mcpmx/core';
import type { ServerSettings } from '@mcpmx/registry';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { createLifecycle } from './client-lifecycle.js';
import type { MultiServerClientOptions } from './client-options.js';
import { type CallOptions, createRequestOptions, sendCallTool } from './requests.js';
import type { Send } from './routing/call-context.js';
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
}

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
    return serverRoute.call({
      method,
      target,
      facts,
      affinityKey: callOptions?.affinityKey ?? (settings.stateful ? 'stateful' : undefined),
      replica: pinned,
      signal: callOptions?.signal,
      params,
      options: requestOptions(
        callOptions,
        callOptions?.timeoutMs ?? settings.timeoutMs ?? timeoutMs,
      ),
      send,
    });
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
      return route(server, 'tools/call', target, facts, callOptions, sendCallTool, params);
    }
    const upstream = (signal: AbortSignal | undefined) =>
      route(server, 'tools/call', target, facts, { ...callOptions, signal }, sendCallTool, params);
    return resultCache.call({ server, tool, args, annotations }, upstream, callOptions?.signal);
  };

  return { route, callOn };
}
