import { createRoundRobin } from '@mcpmx/balancer';
import { consecutiveFailures, createCircuitBreaker, createOutlierDetector } from '@mcpmx/breaker';
import {
  type Clock,
  createEmitter,
  type ReplicaStatus,
  type SessionPool,
  type SessionPoolEvents,
  type TelemetryEvents,
} from '@mcpmx/core';
import type { CallEnvironment } from '../src/routing/attempt-outcome.js';
import type { RouteRequest } from '../src/routing/call-context.js';
import { composeCallPath } from '../src/routing/call-path.js';
import { constantBackoff } from '../src/routing/policies/backoff.js';
import type { Replica } from '../src/routing/replica.js';
import { ServerRoute } from '../src/routing/server-route.js';

interface PoolStatus {
  current: ReplicaStatus;
  readonly events: ReturnType<typeof createEmitter<SessionPoolEvents>>;
}

/**
 * A pool stand-in for unit tests of the call path: it only has a status (and emits 'status' as
 * it changes). What an attempt does is the request's own `send`, which the test writes; real
 * sessions are tested in test/.
 */
function statusOnlyPool(id: string, status: PoolStatus): SessionPool {
  return {
    endpoint: { id, server: 's', transport: { type: 'stdio', command: 'none' } },
    get status() {
      return status.current;
    },
    stats: () => ({
      status: status.current,
      sessions: 1,
      connecting: 0,
      inFlight: 0,
      waiting: 0,
      lastError: undefined,
    }),
    on: status.events.on,
    close: async () => undefined,
  } as unknown as SessionPool;
}

export interface KitOptions {
  clock: Clock;
  replicas: readonly string[];
  retries?: number;
  backoffMs?: number;
  budgetMs?: number;
  /** Failures that open a breaker. Default 5. */
  openAfter?: number;
  maxInFlight?: number;
}

/** A real ServerRoute and call path over status-only pools, with every event recorded. */
export function routeKit(options: KitOptions) {
  const events: { event: keyof TelemetryEvents; payload: unknown }[] = [];
  const statuses = new Map<string, PoolStatus>();
  const environment: CallEnvironment = {
    clock: options.clock,
    isFailure: () => true,
    emit: (event, payload) => events.push({ event, payload }),
    wants: () => true,
  };
  const callPath = composeCallPath(environment, {
    retry: { retries: options.retries ?? 2, backoff: constantBackoff(options.backoffMs ?? 25) },
    budgetMs: options.budgetMs ?? 15_000,
  });
  const noop = () => undefined;
  const route = new ServerRoute(
    's',
    {
      createPool: (endpoint) => {
        const status: PoolStatus = { current: 'up', events: createEmitter<SessionPoolEvents>() };
        statuses.set(endpoint.id, status);
        return statusOnlyPool(endpoint.id, status);
      },
      createBreaker: () =>
        createCircuitBreaker({
          policy: consecutiveFailures(options.openAfter ?? 5),
          halfOpenAfter: { initialMs: 1000, maxMs: 1000 },
          clock: options.clock,
        }),
      createBalancer: () => createRoundRobin(),
      createAffinityBalancer: () => createRoundRobin(),
      createOutlierDetector: () => createOutlierDetector({ clock: options.clock }),
      concurrency: { maxInFlight: options.maxInFlight ?? 256 },
    },
    callPath,
    environment,
    {
      replicaStatus: noop,
      breakerState: noop,
      ejection: noop,
      readmission: noop,
      listChanged: noop,
      routeAdded: noop,
      routeRemoved: noop,
    },
    noop,
  );
  for (const id of options.replicas) {
    route.add({ id, server: 's', transport: { type: 'stdio', command: id } });
  }
  const call = (
    send: (replica: Replica) => Promise<string>,
    request: Partial<RouteRequest<undefined, string>> = {},
  ) =>
    route.call<undefined, string>({
      method: 'tools/call',
      target: 't',
      facts: {},
      params: undefined,
      options: { timeoutMs: 1000 },
      send: (_via, _params, _options, replica) => send(replica),
      ...request,
    });
  const of = (kind: keyof TelemetryEvents) =>
    events.filter((entry) => entry.event === kind).map((entry) => entry.payload);
  return {
    route,
    call,
    events: of,
    setStatus: (id: string, to: ReplicaStatus) => {
      const status = statuses.get(id) as PoolStatus;
      const from = status.current;
      status.current = to;
      status.events.emit('status', {
        server: 's',
        replica: id,
        from,
        to,
        reason: 'set by the test',
        at: options.clock.now(),
      });
    },
    replica: (id: string) => route.replicas.get(id) as Replica,
    close: () => route.close(),
  };
}
