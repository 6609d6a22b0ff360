import type { Disposer, EndpointDescriptor } from '@mcpmx/core';
import type { Registry } from '@mcpmx/registry';
import type { CallEnvironment } from './attempt-outcome.js';
import type { Next } from './call-context.js';
import type { RouteEvents } from './route-events.js';
import { type RouteFactories, ServerRoute } from './server-route.js';

/**
 * One route per logical server, kept in step with the registry: this is where discovery updates
 * arrive (as registry events) and become replicas. A replica registered makes or joins its
 * server's route; one whose transport changed is replaced in place; one that moved to another
 * server leaves the old route and joins the new one; a route whose last replica left is closed.
 * Nothing else mirrors the replicas.
 */
export class RouteTable {
  private readonly routes = new Map<string, ServerRoute>();
  private readonly closing = new Set<Promise<void>>();
  private readonly stops: Disposer[];

  constructor(
    registry: Registry,
    private readonly factories: RouteFactories,
    private readonly callPath: Next,
    private readonly environment: CallEnvironment,
    private readonly events: RouteEvents,
  ) {
    this.stops = [
      registry.on('registered', ({ replica }) => this.routeFor(replica.server).add(replica)),
      registry.on('updated', ({ replica, previous }) => this.moved(previous, replica)),
      registry.on('unregistered', ({ replica }) => this.removed(replica)),
    ];
  }

  get(server: string): ServerRoute | undefined {
    return this.routes.get(server);
  }

  servers(): string[] {
    return [...this.routes.keys()].sort();
  }

  all(): IterableIterator<ServerRoute> {
    return this.routes.values();
  }

  /** Stops following the registry, closes every route and waits for every pool to close. */
  async close(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    for (const route of this.routes.values()) route.close();
    this.routes.clear();
    await Promise.allSettled([...this.closing]);
  }

  private routeFor(server: string): ServerRoute {
    let route = this.routes.get(server);
    if (!route) {
      route = new ServerRoute(
        server,
        this.factories,
        this.callPath,
        this.environment,
        this.events,
        (done) => this.track(done),
      );
      this.routes.set(server, route);
      this.events.routeAdded(server);
    }
    return route;
  }

  private moved(previous: EndpointDescriptor, replica: EndpointDescriptor): void {
    if (previous.server === replica.server) {
      this.routeFor(replica.server).update(replica);
      return;
    }
    this.removed(previous);
    this.routeFor(replica.server).add(replica);
  }

  private removed(replica: EndpointDescriptor): void {
    const route = this.routes.get(replica.server);
    if (!route) return;
    route.remove(replica.id);
    if (!route.empty) return;
    route.close();
    this.routes.delete(replica.server);
    this.events.routeRemoved(replica.server);
  }

  private track(done: Promise<void>): void {
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.closing.add(settled);
    void settled.then(() => this.closing.delete(settled));
  }
}
