import { appendFileSync } from 'node:fs';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { FaultGate } from './fault-gate.js';
import { registerProtocolFaults } from './protocol-faults.js';

/**
 * Knobs for a fault-injecting test server, read from the environment so a test can set them
 * per process:
 * - FAULT_NAME: the server name it reports (default "fault").
 * - FAULT_LATENCY_MS: added to every tool call (default 0).
 * - FAULT_TOOL_PREFIX: prefixed to every tool name (default "").
 * - FAULT_LEDGER: a file every `count` execution appends `<key> <pid>` to, before it answers;
 *   replicas can share one, so a test can prove no call ran twice even across kill -9.
 * - FAULT_RESOURCES: `1` offers resources too (`fault://item/{id}`), listed by a callback that
 *   fails (like a database that is down) while `break-resources` says so;
 *   FAULT_RESOURCES_BROKEN=1 starts it broken.
 */
export interface FaultServerOptions {
  name?: string;
  latencyMs?: number;
  toolPrefix?: string;
  ledger?: string;
  /** Offer resources, whose list fails while `state.resourcesBroken` (see FAULT_RESOURCES). */
  resources?: boolean;
  /** Whether resources/list starts broken. */
  resourcesBroken?: boolean;
  /** The 2026-07-28 caching hint sent with tools/list (default: the SDK's 0 ms, private). */
  listCacheHint?: { ttlMs: number; cacheScope: 'public' | 'private' };
  /**
   * State kept across server instances of one process or connection (counters, latency, added
   * tools). An HTTP server builds an instance per request, so it passes one shared state.
   * Default: a fresh state per createFaultServer call.
   */
  state?: FaultState;
  /**
   * Writes raw text to the transport, bypassing the SDK (stdout for stdio, a frame for
   * WebSocket). Without it, `malformed` answers with a tool error.
   */
  writeRaw?: (text: string) => void;
  /** The switch `hang { all: true }` flips so the whole server stops answering. */
  gate?: FaultGate;
}

/** What a fault server remembers between calls. */
export interface FaultState {
  latencyMs: number;
  executions: Map<string, number>;
  counters: Map<string, number>;
  cancellations: number;
  /** Tools registered with `add-tool`, re-registered on every new instance. */
  added: string[];
  /** While true, resources/list fails with an internal error. */
  resourcesBroken: boolean;
}

export function createFaultState(options: FaultServerOptions = {}): FaultState {
  return {
    latencyMs: options.latencyMs ?? 0,
    executions: new Map(),
    counters: new Map(),
    cancellations: 0,
    added: [],
    resourcesBroken: options.resourcesBroken ?? false,
  };
}

export function faultOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): FaultServerOptions {
  return {
    name: env.FAULT_NAME ?? 'fault',
    latencyMs: Number(env.FAULT_LATENCY_MS ?? 0),
    toolPrefix: env.FAULT_TOOL_PREFIX ?? '',
    ledger: env.FAULT_LEDGER,
    resources: env.FAULT_RESOURCES === '1',
    resourcesBroken: env.FAULT_RESOURCES_BROKEN === '1',
    ...(env.FAULT_LIST_TTL_MS === undefined
      ? {}
      : {
          listCacheHint: {
            ttlMs: Number(env.FAULT_LIST_TTL_MS),
            cacheScope: env.FAULT_LIST_CACHE_SCOPE === 'public' ? 'public' : 'private',
          },
        }),
  };
}

export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

/**
 * A test MCP server whose tools inject latency, errors and crashes on command:
 * - `echo` (read-only): returns its message.
 * - `slow` (read-only): waits `ms`, sending progress, honouring cancellation; a cancelled call
 *   is recorded and readable through `stats`.
 * - `fail`: answers with a tool error (`isError: true`) or, with `protocol: true`, a JSON-RPC error.
 * - `crash`: the process kills itself with SIGKILL (mid-request, no answer).
 * - `count` (not idempotent): increments a per-key counter and returns it.
 * - `stats` (read-only): executions per tool, cancellations, and the process id.
 * - `set-latency`: changes the added latency at run time.
 * - `add-tool`: registers a new tool at run time, which makes the server send list_changed.
 * - `hang`, `malformed`, `flood`: protocol faults, see registerProtocolFaults.
 */
export function createFaultServer(options: FaultServerOptions = {}): McpServer {
  const prefix = options.toolPrefix ?? '';
  const state = options.state ?? createFaultState(options);
  const { executions, counters } = state;
  const server = new McpServer(
    { name: options.name ?? 'fault', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        logging: {},
        ...(options.resources ? { resources: {} } : {}),
      },
      ...(options.listCacheHint ? { cacheHints: { 'tools/list': options.listCacheHint } } : {}),
    },
  );
  const executed = (tool: string) => executions.set(tool, (executions.get(tool) ?? 0) + 1);
  const addedLatency = async (signal: AbortSignal) => {
    if (state.latencyMs > 0) await wait(state.latencyMs, signal);
  };
  const registerAdded = (name: string) =>
    server.registerTool(`${prefix}${name}`, { description: `Added at run time.` }, async () =>
      text(`I am ${name}`),
    );
  for (const name of state.added) registerAdded(name);

  server.registerTool(
    `${prefix}echo`,
    {
      description: 'Returns its message.',
      inputSchema: z.object({ message: z.string() }),
      annotations: { readOnlyHint: true },
    },
    async ({ message }, ctx) => {
      executed('echo');
      await addedLatency(ctx.mcpReq.signal);
      return text(`Echo: ${message}`);
    },
  );

  server.registerTool(
    `${prefix}slow`,
    {
      description: 'Waits ms milliseconds, reporting progress; honours cancellation.',
      inputSchema: z.object({ ms: z.number().int().min(0) }),
      annotations: { readOnlyHint: true },
    },
    async ({ ms }, ctx) => {
      executed('slow');
      const signal = ctx.mcpReq.signal;
      const token = ctx.mcpReq._meta?.progressToken;
      const steps = 4;
      try {
        for (let step = 1; step <= steps; step++) {
          await wait(ms / steps, signal);
          if (token !== undefined) {
            await ctx.mcpReq.notify({
              method: 'notifications/progress',
              params: { progressToken: token, progress: step, total: steps },
            });
          }
        }
      } catch (error) {
        if (signal.aborted) state.cancellations++;
        throw error;
      }
      return text(`slept ${ms}`);
    },
  );

  server.registerTool(
    `${prefix}fail`,
    {
      description: 'Fails: a tool error by default, a JSON-RPC error with protocol: true.',
      inputSchema: z.object({ message: z.string().optional(), protocol: z.boolean().optional() }),
    },
    async ({ message, protocol }) => {
      executed('fail');
      if (protocol) throw new Error(message ?? 'injected failure');
      return { ...text(message ?? 'injected failure'), isError: true };
    },
  );

  server.registerTool(
    `${prefix}crash`,
    { description: 'Kills this server process with SIGKILL, mid-request.' },
    async () => {
      executed('crash');
      process.kill(process.pid, 'SIGKILL');
      return text('unreachable');
    },
  );

  server.registerTool(
    `${prefix}count`,
    {
      description: 'Increments a per-key counter and returns it. Not idempotent.',
      inputSchema: z.object({ key: z.string() }),
      annotations: { readOnlyHint: false, idempotentHint: false, destructiveHint: false },
    },
    async ({ key }, ctx) => {
      executed('count');
      if (options.ledger) appendFileSync(options.ledger, `${key} ${process.pid}\n`);
      await addedLatency(ctx.mcpReq.signal);
      const next = (counters.get(key) ?? 0) + 1;
      counters.set(key, next);
      return text(String(next));
    },
  );

  server.registerTool(
    `${prefix}stats`,
    {
      description: 'Executions per tool, cancellations and pid.',
      annotations: { readOnlyHint: true },
    },
    async () => {
      const stats = {
        pid: process.pid,
        executions: Object.fromEntries(executions),
        counters: Object.fromEntries(counters),
        cancellations: state.cancellations,
      };
      return { ...text(JSON.stringify(stats)), structuredContent: stats };
    },
  );

  server.registerTool(
    `${prefix}add-tool`,
    {
      description:
        'Registers a new echo-like tool named `name`; the server announces list_changed.',
      inputSchema: z.object({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/) }),
    },
    async ({ name }) => {
      if (!state.added.includes(name)) {
        state.added.push(name);
        registerAdded(name);
      }
      return text(`added ${name}`);
    },
  );

  server.registerTool(
    `${prefix}set-latency`,
    {
      description: 'Sets the latency added to echo and count.',
      inputSchema: z.object({ ms: z.number().int().min(0) }),
    },
    async ({ ms }) => {
      state.latencyMs = ms;
      return text(`latency ${ms}`);
    },
  );

  if (options.resources) {
    server.registerResource(
      'item',
      new ResourceTemplate('fault://item/{id}', {
        list: async () => {
          if (state.resourcesBroken) throw new Error('the item database is down');
          return { resources: [{ uri: 'fault://item/1', name: 'item 1' }] };
        },
      }),
      { description: 'Items from a database that can be down.' },
      async (uri) => ({ contents: [{ uri: uri.href, text: `item ${uri.href}` }] }),
    );
    server.registerTool(
      `${prefix}break-resources`,
      {
        description: 'Makes resources/list fail (broken: true) or work again.',
        inputSchema: z.object({ broken: z.boolean() }),
      },
      async ({ broken }) => {
        state.resourcesBroken = broken;
        return text(`resources ${broken ? 'broken' : 'working'}`);
      },
    );
  }

  registerProtocolFaults(server, {
    prefix,
    executed,
    writeRaw: options.writeRaw,
    gate: options.gate,
  });

  return server;
}
