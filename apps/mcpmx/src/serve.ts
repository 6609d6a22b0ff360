import type { Advertised, MultiServerClient, StartResult } from '@mcpmx/client';
import { systemClock } from '@mcpmx/core';
import { closeOnSignals } from '@mcpmx/pool';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { loadGatewayConfig } from './config/load-client.js';
import type { FrontDoorLimits } from './front-door/front-door-limits.js';
import { createGatewayServer } from './gateway.js';
import { startHttpGateway } from './http-gateway.js';
import { createAuditLog } from './identity/audit-log.js';
import { createFrontDoorAuth } from './identity/front-door-auth.js';
import { createGatewayAccess } from './identity/gateway-access.js';
import { createToolPolicy } from './identity/tool-policy.js';
import { createLazyTools, type ToolMode } from './lazy-tools.js';
import { redactedWriter } from './output.js';
import { createAdvertisedUnion } from './relay/advertised-union.js';
import {
  advertiseFor,
  declaredCapabilities,
  holdUntilOpened,
} from './relay/downstream-capabilities.js';
import { createDownstreamRoots } from './relay/downstream-roots.js';
import { createHeldCalls } from './relay/held-calls.js';
import { createLogRelay } from './relay/log-relay.js';
import { createStateSigner } from './relay/signed-state.js';
import { logReloads } from './reload-log.js';
import type { SessionOptions } from './sessions/session-options.js';

export interface ServeOptions {
  config: string;
  /** Serve Streamable HTTP on this port (0: a free one) instead of stdio. */
  httpPort?: number;
  /** HTTP bind address. Default 127.0.0.1. */
  host?: string;
  /** Bearer token for HTTP; required off loopback. */
  token?: string;
  /** HTTP front-door limits (connections, timeouts, requests in flight, body size). */
  limits?: Partial<FrontDoorLimits>;
  /** HTTP 2025-11-25 sessions: idle timeout and how many may be open. */
  sessions?: Partial<SessionOptions>;
  /** Where diagnostics go (redacted); never stdout, which carries the protocol. */
  log?: (line: string) => void;
  /** The only variables `${NAME}` in the config may read (names, or patterns such as `API_*`). */
  envAllow?: readonly string[];
  /**
   * What the gateway tells upstream servers it can do, because its downstream clients will
   * answer (relayed during their calls): elicitation, sampling, roots; an override. Default:
   * over stdio, what the one downstream client declares in its opening message (the upstream
   * servers are connected once it has come); over HTTP, the union of what the open 2025-11-25
   * sessions declared, renewed as it changes (see createAdvertisedUnion).
   */
  advertise?: Advertised;
  /**
   * Over HTTP without `advertise`: how long after the last session with a capability ends the
   * upstreams are renewed without it (see createAdvertisedUnion). Default 5000 ms.
   */
  shrinkAfterMs?: number;
  /**
   * How tools are listed: every tool (eager), or the lazy meta-tools + pinned. Default: the
   * config's `gateway.tools` and `gateway.pin`, else eager.
   */
  tools?: { mode?: ToolMode; pinned?: readonly string[] };
  /**
   * One JSON line per tools/call (principal, tool, server, outcome), appended to this file ('-':
   * stderr); `auditArguments` adds the arguments. Default: no audit log.
   */
  audit?: string;
  auditArguments?: boolean;
}

/**
 * `mcpmx serve --config <file>`: one MCP server in front of every configured server, for MCP
 * hosts (Claude Desktop, Cursor, ...), over stdio, or over Streamable HTTP with `httpPort`.
 * `${NAME}` in the config comes from the environment. On stdio it ends when stdin closes; both
 * end on SIGINT/SIGTERM, closing every upstream session and process first.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const write = options.log ?? ((line: string) => process.stderr.write(`mcpmx: ${line}\n`));
  const envAccess = { env: process.env, envAllow: options.envAllow };
  // Upstream log messages reach the downstream sessions through the relay, which the client is
  // built with; it sets the upstream level through the client once there is one.
  let built: MultiServerClient | undefined;
  const overStdio = options.httpPort === undefined;
  /** Over stdio, what the downstream client declared in its opening message. */
  let downstream: Advertised | undefined;
  const logs = createLogRelay({
    applyLevel: async (level) => {
      if (built) await built.setLogLevel(level);
    },
  });
  // Over HTTP without --advertise, the union of what the open sessions declared; a change
  // renews the upstream sessions (client.readvertise()).
  const union =
    overStdio || options.advertise !== undefined
      ? undefined
      : createAdvertisedUnion({
          readvertise: async () => built?.readvertise(),
          clock: systemClock,
          shrinkAfterMs: options.shrinkAfterMs,
          report: (error) =>
            write(
              `could not tell the upstreams what the sessions can do: ${error instanceof Error ? error.message : String(error)}`,
            ),
        });
  const { client, gateway: section } = await loadGatewayConfig(options.config, envAccess, {
    onLog: logs.onLog,
    // Asked as each upstream session opens: over stdio the first open once the downstream
    // client's opening has been seen (see below); over HTTP, what the sessions open then declared.
    advertise:
      options.advertise ?? (overStdio ? () => downstream ?? {} : () => union?.current() ?? {}),
  });
  built = client;
  const mode = options.tools?.mode ?? section?.tools ?? 'eager';
  const lazy =
    mode === 'lazy'
      ? createLazyTools(client, { pinned: options.tools?.pinned ?? section?.pin ?? [] })
      : undefined;
  const log = redactedWriter(client, write);
  const audit =
    options.audit === undefined
      ? undefined
      : createAuditLog(
          {
            destination: options.audit,
            arguments: options.auditArguments,
            redact: (text) => client.redact(text),
          },
          (error) => log(`the audit log cannot be written: ${error.message}`),
        );
  const access =
    section?.policy || section?.auth || audit
      ? createGatewayAccess(client, { policy: createToolPolicy(section?.policy), audit })
      : undefined;
  client.on('error', ({ error, server }) => log(`${server ? `${server}: ` : ''}${error.message}`));
  const stopSignals = closeOnSignals(client);
  // Servers that are down are reported by start() and as 'error' events (logged above); they
  // keep reconnecting and join the catalog when they come up. Over stdio without --advertise,
  // start() waits for the downstream client's opening, which says what upstreams are told.
  const starting = overStdio && options.advertise === undefined ? undefined : client.start();
  starting?.catch(() => undefined);
  const summary = ({ up, failed }: StartResult) => {
    const down = failed.map(({ server }) => server);
    const tools = `${client.listTools().length} tools from ${up.length} servers`;
    return down.length === 0 ? tools : `${tools} (down, reconnecting: ${down.join(', ')})`;
  };
  if (options.httpPort !== undefined && starting) {
    // Listening comes first, so a server that is slow to answer does not keep the port closed;
    // the catalog fills in as servers answer, and clients are told of each change.
    const auth = section?.auth
      ? await createFrontDoorAuth(section.auth).catch(async (error: unknown) => {
          stopSignals();
          await client.close();
          throw error;
        })
      : undefined;
    const gateway = await startHttpGateway({
      client,
      auth,
      access,
      port: options.httpPort,
      host: options.host,
      token: options.token,
      limits: options.limits,
      sessions: options.sessions,
      lazy,
      logs,
      log,
      // Roots may be promised: by --advertise, or by a session that declares them.
      downstreamRoots:
        (options.advertise?.roots ?? union !== undefined)
          ? createDownstreamRoots(client, reportRoots(log))
          : undefined,
      advertised: union,
    }).catch(async (error: unknown) => {
      union?.close();
      stopSignals();
      await client.close();
      throw error;
    });
    stopSignals();
    closeOnSignals({
      close: async () => {
        union?.close();
        await gateway.close();
        await client.close();
      },
    });
    // Not "at <url>/mcp" yet: that line says the catalog is in, and scripts wait for it.
    log(`listening on ${gateway.url}, connecting to the configured servers`);
    const result = await starting.catch(async (error: unknown) => {
      await gateway.close();
      await client.close();
      throw error;
    });
    // From here on, a rebuild is a reload: a server down at start that comes up is "added".
    logReloads(client, log);
    log(`serving ${summary(result)} at ${gateway.url}/mcp`);
    return;
  }
  let failStart: (error: unknown) => void = () => undefined;
  const startFailed = new Promise<never>((_, reject) => {
    failStart = reject;
  });
  startFailed.catch(() => undefined);
  starting?.catch(failStart);
  // The downstream client's messages wait until the upstreams are connected: told what it
  // declared it can do, unless --advertise says otherwise.
  const wire = holdUntilOpened(new StdioServerTransport(), async (first) => {
    downstream = advertiseFor(declaredCapabilities(first));
    const result = await (starting ?? client.start()).catch((error: unknown) => {
      failStart(error);
      throw error;
    });
    logReloads(client, log);
    log(`serving ${summary(result)} on stdio`);
  });
  const gateways: (() => void)[] = [];
  // A 2026-07-28 stdio client's calls whose upstream asks for input are held across its rounds.
  const held = createHeldCalls({ maxHeld: 100, signer: createStateSigner() });
  const downstreamRoots = createDownstreamRoots(client, reportRoots(log));
  let lastError: Error | undefined;
  const handle = serveStdio(
    () => {
      // Made once the opening has been seen: `downstream` is known.
      const mirroredRoots = (options.advertise ?? downstream)?.roots === true;
      const { server, detach } = createGatewayServer(client, {
        logs,
        held,
        mirroredRoots,
        lazy,
        access,
      });
      if (mirroredRoots) {
        // The one downstream client's roots are the upstreams': read once it has initialized.
        const member = downstreamRoots.join(server);
        const initialized = server.oninitialized;
        server.oninitialized = () => {
          initialized?.();
          member.refresh();
        };
        gateways.push(member.leave);
      }
      gateways.push(detach);
      return server;
    },
    { transport: wire, onerror: (error) => (lastError = error) },
  );
  // The gateway ends with its connection: when stdin closes, and when the SDK's transport
  // closes itself (a line over its 10 MiB buffer), which would otherwise leave it deaf; and
  // when the upstreams could not be started.
  const ended = await Promise.race([
    new Promise<{ error?: unknown }>((resolve) => {
      const closeWire = wire.onclose;
      wire.onclose = () => {
        closeWire?.();
        if (lastError) log(`the stdio connection closed: ${lastError.message}`);
        resolve({});
      };
      process.stdin.once('close', () => resolve({}));
    }),
    startFailed.catch((error: unknown) => ({ error })),
  ]);
  stopSignals();
  for (const detach of gateways) detach();
  held.close();
  await handle.close();
  await client.close();
  if (ended.error !== undefined) throw ended.error;
}

/** How a failure to pass the downstream clients' roots on is logged. */
const reportRoots = (log: (line: string) => void) => (error: unknown) =>
  log(
    `could not pass the downstream clients' roots on: ${error instanceof Error ? error.message : String(error)}`,
  );
