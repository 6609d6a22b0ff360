import {
  type Balancer,
  type Breaker,
  CancelledError,
  type Clock,
  type Disposer,
  type EndpointDescriptor,
  type OutlierDetector,
  PoolClosedError,
  type SessionPool,
} from '@mcpmx/core';
import type { CallEnvironment } from './attempt-outcome.js';
import type { CallContext, Next, RouteParts, RouteRequest } from './call-context.js';
import { ConcurrencyLimit, type ConcurrencyLimitOptions } from './policies/concurrency-limit.js';
import { Replica } from './replica.js';
import type { RouteEvents } from './route-events.js';

/** How a route builds its parts. Every one is replaceable through the client's options. */
export interface RouteFactories {
  createPool(endpoint: EndpointDescriptor): SessionPool;
  createBreaker(endpoint: EndpointDescriptor): Breaker;
  createBalancer(server: string): Balancer;
  createAffinityBalancer(server: string): Balancer;
  createOutlierDetector(server: string): OutlierDetector;
  concurrency: ConcurrencyLimitOptions;
}

/** The state of one call on its way through the path; one object per call. */
class CallState<P, T> implements CallContext<P, T> {
  deadline = 0;
  replica: Replica | undefined = undefined;
  sentAt = 0;
  waited = false;
  retryFrom: Next | undefined = undefined;
  recover: CallContext['recover'] = undefined;
  excluded: Set<string> | undefined = undefined;
  constructor(
    readonly route: RouteParts,
    readonly request: RouteRequest<P, T>,
    readonly started: number,
  ) {}
  cancelled(): CancelledError {
    return new CancelledError(
      `${this.request.method}${this.request.target ? ` ${this.request.target}` : ''} on "${this.route.server}" was cancelled by the caller`,
      { server: this.route.server, cause: this.request.signal?.reason },
    );
  }
}

/**
 * Everything that routes calls to one logical server: its replicas (each with pool, breaker,
 * concurrency limit and counters), its balancer, affinity balancer and outlier detector, and
 * the call path its calls run through. Replicas come and go only through `add`, `update` and
 * `remove`, which the route table calls on registry events; a replica whose transport changes
 * is replaced in place.
 */
export class ServerRoute implements RouteParts {
  readonly replicas = new Map<string, Replica>();
  /** The replica, while there is exactly one: the common case, picked without iterating. */
  only: Replica | undefined;
  readonly balancer: Balancer;
  readonly affinity: Balancer;
  readonly outliers: OutlierDetector;
  private readonly stops: Disposer[] = [];

  constructor(
    readonly server: string,
    private readonly factories: RouteFactories,
    private readonly callPath: Next,
    private readonly environment: CallEnvironment & { readonly clock: Clock },
    private readonly events: RouteEvents,
    /** Where the pools of removed replicas close; the route table awaits them on close. */
    private readonly closing: (done: Promise<void>) => void,
  ) {
    this.balancer = factories.createBalancer(server);
    this.affinity = factories.createAffinityBalancer(server);
    this.outliers = factories.createOutlierDetector(server);
    this.stops.push(
      this.outliers.on('ejected', (event) =>
        events.ejection({
          server,
          replica: event.replica,
          reason: event.reason,
          until: event.until,
          at: environment.clock.now(),
        }),
      ),
      this.outliers.on('readmitted', (event) => events.readmission({ server, ...event })),
    );
  }

  /** Routes one call through the call path. */
  call<P, T>(request: RouteRequest<P, T>): Promise<T> {
    return this.callPath(new CallState(this, request, this.environment.clock.now()));
  }

  add(endpoint: EndpointDescriptor): Replica {
    const replica = new Replica(
      endpoint,
      this.factories.createPool(endpoint),
      this.factories.createBreaker(endpoint),
      new ConcurrencyLimit(this.factories.concurrency, this.environment.clock),
    );
    const { pool, breaker } = replica;
    replica.subscriptions.push(
      pool.on('status', (change) => {
        replica.statusReason = change.reason;
        if (change.to === 'down') replica.lastError = change.reason;
        // A replica that reconnected is a new peer: its breaker admits a probe now rather than
        // when its open period ends, the balancer forgets the latency penalties of its failures
        // (peak-EWMA would otherwise keep it out of every pick for tens of seconds), and outlier
        // detection ends its ejection.
        if (change.to === 'up' && change.from !== 'up') {
          breaker.allowProbe?.();
          this.balancer.remove(replica.id);
          this.outliers.reset?.(replica.id);
        }
        const { error: _error, ...event } = change;
        this.events.replicaStatus(event);
      }),
      pool.on('list-changed', ({ kind }) => this.events.listChanged(this.server, kind)),
      pool.on('unexpected-response', ({ id }) =>
        this.environment.emit('unexpected-response', {
          server: this.server,
          replica: replica.id,
          id,
          at: this.environment.clock.now(),
        }),
      ),
      breaker.on('state-change', (change) => {
        // An opening breaker takes the replica over from outlier detection until it closes.
        if (change.to === 'open') this.outliers.reset?.(replica.id);
        this.events.breakerState({
          server: this.server,
          replica: replica.id,
          from: change.from,
          to: change.to,
          at: change.at,
        });
      }),
    );
    this.replicas.set(endpoint.id, replica);
    this.only = this.replicas.size === 1 ? replica : undefined;
    return replica;
  }

  /**
   * Applies a changed descriptor of a replica of this server: with the same transport its
   * weight, tags and metadata change in place (sessions survive); with another transport the
   * replica is replaced in place (new pool, breaker and limit; the old pool closes).
   */
  update(endpoint: EndpointDescriptor): void {
    const existing = this.replicas.get(endpoint.id);
    if (existing && sameTransport(existing.endpoint, endpoint)) {
      existing.endpoint = endpoint;
      return;
    }
    if (existing) this.remove(endpoint.id);
    this.add(endpoint);
  }

  /** Removes a replica at once; its pool closes in the background (awaited by close()). */
  remove(id: string): void {
    const replica = this.replicas.get(id);
    if (!replica) return;
    this.replicas.delete(id);
    this.only =
      this.replicas.size === 1 ? (this.replicas.values().next().value as Replica) : undefined;
    for (const stop of replica.subscriptions.splice(0)) stop();
    this.balancer.remove(id);
    this.affinity.remove(id);
    this.outliers.remove(id);
    replica.limit.close(
      new PoolClosedError(
        `replica ${id} of "${this.server}" was removed before the call was sent`,
        {
          server: this.server,
          replica: id,
        },
      ),
    );
    this.closing(replica.pool.close());
  }

  get empty(): boolean {
    return this.replicas.size === 0;
  }

  /** Removes every replica and stops outlier detection. */
  close(): void {
    for (const id of [...this.replicas.keys()]) this.remove(id);
    for (const stop of this.stops.splice(0)) stop();
    this.outliers.close();
  }
}

function sameTransport(a: EndpointDescriptor, b: EndpointDescriptor): boolean {
  return JSON.stringify(a.transport) === JSON.stringify(b.transport);
}
