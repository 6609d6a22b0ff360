import {
  type Clock,
  type EndpointDescriptor,
  InvalidOptionError,
  type Redactor,
  type SessionPool,
} from '@mcpmx/core';
import type {
  PoolInteractions,
  ServerNotification,
  ServerRequest,
  ServerRequestContext,
} from '@mcpmx/pool';
import { elicitationModes, resolveAdvertise } from './advertise.js';
import { answerWithDeadline } from './answer-with-deadline.js';
import { checkLogLevel, checkRoots, resolveInteractionOptions } from './interaction-options.js';
import type {
  CallScope,
  InteractionCall,
  InteractionContext,
  InteractionHandlers,
  InteractionOptions,
  LogListener,
  Root,
  ServerInteractionOptions,
} from './interaction-types.js';
import {
  createResourceSubscriptions,
  type ResourceListener,
  remoteFailure,
} from './resource-subscriptions.js';

export interface InteractionHubParts {
  options: InteractionOptions;
  servers: Readonly<Record<string, object>> | undefined;
  clock: Clock;
  redactor: Redactor;
  /** The pools of a server's replicas now (empty for an unknown server). */
  poolsOf: (server: string) => SessionPool[];
}

const METHOD_NOT_FOUND = -32601;

/**
 * The client's half of the server-to-client features: which capabilities each server is
 * told of, which handler answers each server request (the call's own, else the server's, else
 * the client's), log messages, roots, the log level and resource subscriptions. The pools
 * hand it every server request with the call it belongs to; it never touches a session.
 */
export function createInteractionHub(parts: InteractionHubParts) {
  const { options, clock, redactor } = parts;
  const servers = (parts.servers ?? {}) as Readonly<Record<string, ServerInteractionOptions>>;
  const timeoutMs = resolveInteractionOptions(options, servers);
  const lifetime = new AbortController();
  const subscriptions = createResourceSubscriptions(parts.poolsOf);
  let globalRoots: readonly Root[] | undefined;
  const serverRoots = new Map<string, readonly Root[]>();
  let globalLevel: string | undefined;
  const serverLevels = new Map<string, string>();

  const anyServer = (pick: (server: ServerInteractionOptions) => unknown) =>
    Object.values(servers).some((server) => pick(server) !== undefined);
  const advertised = resolveAdvertise(options.advertise);
  const fixed = typeof options.advertise === 'function' ? undefined : advertised();
  /** Some handler or log listener is set: calls then carry their scope to the pools. */
  const enabled =
    options.onElicitation !== undefined ||
    options.onSampling !== undefined ||
    options.roots !== undefined ||
    options.onLog !== undefined ||
    // What a function will advertise is not known yet: calls carry their scope.
    fixed === undefined ||
    elicitationModes(false, fixed.elicitation) !== false ||
    fixed.sampling === true ||
    fixed.roots === true ||
    anyServer((s) => s.onElicitation ?? s.onSampling ?? s.roots ?? s.onLog);

  const capabilitiesOf = (server: string) => {
    const own = servers[server] ?? {};
    const advertise = advertised();
    const handles = (handler: unknown) => handler !== undefined;
    return {
      elicitation: elicitationModes(
        handles(own.onElicitation ?? options.onElicitation),
        advertise.elicitation,
      ),
      sampling: Boolean(own.onSampling ?? options.onSampling ?? advertise.sampling),
      roots: Boolean(own.roots ?? options.roots ?? advertise.roots),
    };
  };

  /** What each server's sessions were last told (as a key), when one has opened. */
  const told = new Map<string, string>();
  const keyOf = (capabilities: ReturnType<typeof capabilitiesOf>) =>
    JSON.stringify([capabilities.elicitation, capabilities.sampling, capabilities.roots]);

  const rootsFor = (server: string, scope: CallScope | undefined) =>
    scope?.handlers?.roots ??
    serverRoots.get(server) ??
    globalRoots ??
    servers[server]?.roots ??
    options.roots;

  const answer = async (
    server: string,
    request: ServerRequest,
    context: ServerRequestContext,
  ): Promise<Record<string, unknown>> => {
    const scope = context.attribution as CallScope | undefined;
    const own: InteractionHandlers = servers[server] ?? {};
    const what = `${request.method} from "${server}" (${context.replica})`;
    const contextFor = (signal: AbortSignal): InteractionContext => ({
      server,
      replica: context.replica,
      signal,
      ...(scope ? { call: scope.call } : {}),
    });
    const deadline = { clock, redactor, timeoutMs, lifetime: lifetime.signal };
    const missing = () =>
      Object.assign(
        new Error(
          `the client has no ${request.method} handler for "${server}"${unattributed(request, context)}`,
        ),
        { code: METHOD_NOT_FOUND },
      );
    switch (request.method) {
      case 'elicitation/create': {
        const handler =
          scope?.handlers?.onElicitation ?? own.onElicitation ?? options.onElicitation;
        if (!handler) throw missing();
        return answerWithDeadline(deadline, what, context.signal, (signal) =>
          handler(request.params as never, contextFor(signal)),
        ) as Promise<Record<string, unknown>>;
      }
      case 'sampling/createMessage': {
        const handler = scope?.handlers?.onSampling ?? own.onSampling ?? options.onSampling;
        if (!handler) throw missing();
        return answerWithDeadline(deadline, what, context.signal, (signal) =>
          handler(request.params as never, contextFor(signal)),
        ) as Promise<Record<string, unknown>>;
      }
      case 'roots/list': {
        const roots = rootsFor(server, scope);
        if (roots === undefined) throw missing();
        const listed = await answerWithDeadline(deadline, what, context.signal, (signal) =>
          typeof roots === 'function' ? roots(contextFor(signal)) : roots,
        );
        return { roots: [...listed] };
      }
      default:
        throw missing();
    }
  };

  const hear = (
    server: string,
    notification: ServerNotification,
    replica: string,
    attribution: unknown,
  ) => {
    if (notification.method === 'notifications/resources/updated') {
      const uri = notification.params.uri;
      if (typeof uri === 'string') subscriptions.deliver(server, uri);
      return;
    }
    const scope = attribution as CallScope | undefined;
    const listeners: (LogListener | undefined)[] = [
      servers[server]?.onLog ?? options.onLog,
      scope?.onLog,
    ];
    if (!listeners.some(Boolean)) return;
    const message = redactor.redactValue(notification.params) as never;
    const context = { server, replica, ...(scope ? { call: scope.call } : {}) };
    for (const listener of listeners) {
      try {
        listener?.(message, context);
      } catch {
        // A listener's throw is its own; the session goes on.
      }
    }
  };

  const poolsIn = (server: string | undefined, known: () => string[]) =>
    (server === undefined ? known() : [server]).flatMap((name) =>
      parts.poolsOf(name).map((pool) => ({ server: name, pool })),
    );

  return {
    enabled,
    /** The pool option of one replica: always given, so subscriptions and logs can arrive. */
    poolInteractions(endpoint: EndpointDescriptor): PoolInteractions {
      const server = endpoint.server;
      return {
        // Read as each session opens: a function `advertise` may have changed its answer.
        get capabilities() {
          const capabilities = capabilitiesOf(server);
          told.set(server, keyOf(capabilities));
          return capabilities;
        },
        onRequest: (request, context) => answer(server, request, context),
        onNotification: (notification, context) =>
          hear(server, notification, context.replica, context.attribution),
      };
    },
    /**
     * The servers among `known` whose sessions were told other capabilities than `advertise`
     * (and the handlers) give now: their sessions are to be renewed.
     */
    changedSince(known: readonly string[]): string[] {
      return known.filter((server) => {
        const last = told.get(server);
        return last !== undefined && last !== keyOf(capabilitiesOf(server));
      });
    },
    /** A replica's pool was made: it gets the remembered log level and subscriptions. */
    poolAdded(server: string, pool: SessionPool): void {
      const level = serverLevels.get(server) ?? globalLevel;
      if (level !== undefined) void pool.setLogLevel?.(level).catch(() => undefined);
      subscriptions.poolAdded(server, pool);
    },
    /** The scope a call carries to the pools, or undefined when nothing would read it. */
    scopeOf(
      call: InteractionCall,
      callOptions: { handlers?: InteractionHandlers; onLog?: LogListener } | undefined,
    ): CallScope | undefined {
      if (!enabled) return undefined;
      return { call, handlers: callOptions?.handlers, onLog: callOptions?.onLog };
    },
    async setRoots(roots: readonly Root[], server: string | undefined, known: () => string[]) {
      checkRoots(roots, 'roots');
      const targets = server === undefined ? known() : [server];
      const unasked = targets.filter((name) => !capabilitiesOf(name).roots);
      if (unasked.length > 0 && server !== undefined) {
        throw new InvalidOptionError(
          'roots',
          `set at creation (options.roots, servers.${server}.roots or advertise.roots) so that "${server}" is told the client has roots`,
          roots,
        );
      }
      if (server === undefined) {
        globalRoots = [...roots];
        serverRoots.clear();
      } else {
        serverRoots.set(server, [...roots]);
      }
      const asked = poolsIn(server, known).filter(({ server: name }) => capabilitiesOf(name).roots);
      await settleAll('notifications/roots/list_changed', asked, (pool) =>
        pool.notifyRootsChanged?.(),
      );
    },
    async setLogLevel(level: string, server: string | undefined, known: () => string[]) {
      checkLogLevel(level);
      if (server === undefined) {
        globalLevel = level;
        serverLevels.clear();
      } else {
        serverLevels.set(server, level);
      }
      await settleAll(`logging/setLevel ${level}`, poolsIn(server, known), (pool) =>
        pool.setLogLevel?.(level),
      );
    },
    subscribe: (server: string, uri: string, listener: ResourceListener) =>
      subscriptions.subscribe(server, uri, listener),
    close(): void {
      lifetime.abort();
      subscriptions.close();
    },
  };
}

/**
 * Why a request no handler answered belongs to no call, when a call's handler might have: it
 * came unrelated while several calls were in flight, or outside any call.
 */
function unattributed(request: ServerRequest, context: ServerRequestContext): string {
  if (context.basis === 'ambiguous') {
    return ': it came unrelated to any request (not on the response stream of a call) while several calls were in flight on the session, so which call it belongs to is ambiguous';
  }
  if (context.basis !== 'none') return '';
  if (request.method === 'roots/list') {
    return ": a roots/list that does not come on the response stream of a call is answered by the client's or the server's roots, not a call's";
  }
  return ': it came while no call was in flight on the session';
}

/** Runs `send` on every pool; the first failure rejects (as an McpmxError) once all settled. */
async function settleAll(
  what: string,
  targets: { server: string; pool: SessionPool }[],
  send: (pool: SessionPool) => Promise<void> | undefined,
): Promise<void> {
  const results = await Promise.allSettled(targets.map(({ pool }) => send(pool)));
  const index = results.findIndex((result) => result.status === 'rejected');
  if (index === -1) return;
  const failed = results[index] as PromiseRejectedResult;
  throw remoteFailure(what, targets[index]?.server ?? '', failed.reason);
}

export type InteractionHub = ReturnType<typeof createInteractionHub>;
