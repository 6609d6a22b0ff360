import { type FanOutResult, fanOut } from '@mcpmx/aggregator';
import { type Clock, closestNames, type ToolAnnotations, UnknownToolError } from '@mcpmx/core';
import type { Registry, ServerSettings } from '@mcpmx/registry';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { Catalog } from './catalog/catalog.js';
import type { FanOutCallOptions } from './client-api.js';

export interface FanOutParts {
  catalog: Catalog;
  /** A server is in a tag group by its config `tags` or by any replica's discovered tags. */
  hasTag(server: string, tag: string): boolean;
  /** One tool call on one server, with its retry facts and the result cache. */
  callOn(
    server: string,
    tool: string,
    args: Record<string, unknown> | undefined,
    signal: AbortSignal,
  ): Promise<CallToolResult>;
  clock: Clock;
}

/**
 * Calls the tool `name` (the server's own name) on every server that offers it, or on those
 * named or tagged, and aggregates per strategy (see @mcpmx/aggregator's fanOut).
 */
export function fanOutCall(
  parts: FanOutParts,
  name: string,
  args: Record<string, unknown> | undefined,
  options: FanOutCallOptions,
): Promise<FanOutResult<CallToolResult>> {
  const { catalog } = parts;
  const offering = catalog.serversWithTool(name);
  const targets = (options.servers ?? offering).filter(
    (server) =>
      offering.includes(server) && (options.tag === undefined || parts.hasTag(server, options.tag)),
  );
  if (targets.length === 0) {
    return Promise.reject(
      new UnknownToolError(name, closestNames(name, catalog.toolNames(), { substrings: true })),
    );
  }
  return fanOut(targets, (server, signal) => parts.callOn(server, name, args, signal), {
    strategy: options.strategy,
    perTargetTimeoutMs: options.perServerTimeoutMs,
    hedgeDelayMs: options.hedgeDelayMs,
    signal: options.signal,
    clock: parts.clock,
  });
}

/** The client's parts fanOutOn builds FanOutParts from. */
export interface FanOutClientParts {
  catalog: Catalog;
  registry: Registry;
  settingsOf(server: string): ServerSettings;
  /** createCalls' callOn: one tool call on one server. */
  callOn(
    server: string,
    tool: string,
    target: string,
    annotations: ToolAnnotations | undefined,
    args: Record<string, unknown> | undefined,
    callOptions: { signal: AbortSignal },
  ): Promise<CallToolResult>;
  clock: Clock;
}

/** The client's fanOut: tag groups from config and discovery, each call through callOn. */
export function fanOutOn(
  parts: FanOutClientParts,
  name: string,
  args: Record<string, unknown> | undefined,
  options: FanOutCallOptions,
): Promise<FanOutResult<CallToolResult>> {
  const { catalog, registry, settingsOf } = parts;
  const hasTag = (server: string, tag: string) =>
    settingsOf(server).tags.includes(tag) ||
    registry.replicas(server).some((entry) => entry.descriptor.tags?.includes(tag));
  const callOne = (
    server: string,
    tool: string,
    toolArgs: Record<string, unknown> | undefined,
    signal: AbortSignal,
  ) => {
    const annotations = catalog.serverTool(server, tool)?.annotations;
    return parts.callOn(server, tool, `${server}/${tool}`, annotations, toolArgs, { signal });
  };
  return fanOutCall({ catalog, hasTag, callOn: callOne, clock: parts.clock }, name, args, options);
}
