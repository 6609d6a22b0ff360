import type { MultiServerClient } from '@mcpmx/client';
import { closestNames, type ToolDescriptor, UnknownToolError } from '@mcpmx/core';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { AuditLog } from './audit-log.js';
import type { Caller } from './caller.js';
import type { ToolPolicy } from './tool-policy.js';

/** What the gateway enforces per caller: the tool policy, private caching and the audit log. */
export interface GatewayAccess {
  /** The tools this caller may see (and so call), as `tools/list` lists them. */
  visibleTools(caller: Caller | undefined): ToolDescriptor[];
  /** Whether the caller may see the tool of this federated name. */
  visible(caller: Caller | undefined, name: string): boolean;
  /**
   * Runs one federated tool call for the caller: a tool it may not use fails exactly as an
   * unknown tool would (UnknownToolError, suggesting only tools it may use), every call is
   * audited, and the call's results are cached for this caller only (`cachePartition`).
   */
  call<Result>(
    caller: Caller | undefined,
    name: string,
    run: (partition: { cachePartition?: string }) => Promise<Result>,
  ): Promise<Result>;
}

export function createGatewayAccess(
  client: MultiServerClient,
  options: { policy: ToolPolicy; audit?: AuditLog; now?: () => number },
): GatewayAccess {
  const now = options.now ?? Date.now;
  const allowed = (caller: Caller | undefined) => {
    const access = options.policy(caller);
    return (name: string) => {
      const entry = client.catalog().resolveTool(name);
      return entry !== undefined && access.allows(entry.server, entry.name);
    };
  };
  const visibleTools = (caller: Caller | undefined) => {
    const allows = allowed(caller);
    return client.listTools().filter((tool) => allows(tool.name));
  };
  return {
    visibleTools,
    visible: (caller, name) => allowed(caller)(name),
    async call(caller, name, run) {
      const started = now();
      const server = client.catalog().resolveTool(name)?.server;
      const record = (outcome: 'ok' | 'error' | 'failed' | 'denied') =>
        options.audit?.record({
          principal: caller?.principal,
          tool: name,
          server,
          outcome,
          durationMs: now() - started,
        });
      if (!allowed(caller)(name)) {
        record(server === undefined ? 'failed' : 'denied');
        const names = visibleTools(caller).map((tool) => tool.name);
        throw new UnknownToolError(name, closestNames(name, names, { substrings: true }));
      }
      try {
        const result = await run(caller ? { cachePartition: `principal:${caller.principal}` } : {});
        record((result as CallToolResult | undefined)?.isError ? 'error' : 'ok');
        return result;
      } catch (error) {
        record('failed');
        throw error;
      }
    },
  };
}
