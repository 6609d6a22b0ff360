import type { McpOperations, McpSession, RequestOptions } from '@mcpmx/core';

/** Runs one request on a session of the pool's choosing (see the pool's `withSession`). */
export type OnSession = <T>(
  options: RequestOptions | undefined,
  send: (session: McpSession) => Promise<T>,
) => Promise<T>;

/** The pool's stable handle: every MCP operation, each sent on a session `run` picks. */
export function forwardOperations(run: OnSession): McpOperations {
  return {
    callTool: (params, o) => run(o, (s) => s.callTool(params, o)),
    listTools: (params, o) => run(o, (s) => s.listTools(params, o)),
    listResources: (params, o) => run(o, (s) => s.listResources(params, o)),
    listResourceTemplates: (params, o) => run(o, (s) => s.listResourceTemplates(params, o)),
    listPrompts: (params, o) => run(o, (s) => s.listPrompts(params, o)),
    readResource: (params, o) => run(o, (s) => s.readResource(params, o)),
    getPrompt: (params, o) => run(o, (s) => s.getPrompt(params, o)),
    complete: (params, o) => run(o, (s) => s.complete(params, o)),
    ping: (o) => run(o, (s) => s.ping(o)),
  };
}
