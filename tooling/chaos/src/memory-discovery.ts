import {
  createEmitter,
  type DiscoveredSet,
  type Discovery,
  type DiscoveryEvents,
  type EndpointDescriptor,
} from '@mcpmx/core';

/** A Discovery whose set the soak edits directly: replicas removed and added back. */
export interface MemoryDiscovery extends Discovery {
  /** Publishes a new complete set, as a real source would after a change. */
  set(endpoints: readonly EndpointDescriptor[]): void;
}

/** An in-memory discovery source (core's Discovery contract) for discovery churn. */
export function createMemoryDiscovery(
  id: string,
  initial: readonly EndpointDescriptor[],
): MemoryDiscovery {
  const events = createEmitter<DiscoveryEvents>();
  let current: DiscoveredSet | undefined;
  let endpoints = [...initial];
  let running = false;
  const publish = () => {
    current = { source: id, endpoints, skipped: [], at: Date.now() };
    events.emit('update', current);
  };
  return {
    id,
    start: async () => {
      if (running) return;
      running = true;
      publish();
    },
    stop: async () => {
      running = false;
      events.removeAllListeners();
    },
    current: () => current,
    on: events.on,
    set: (next) => {
      endpoints = next.map((endpoint) => ({ ...endpoint, source: id }));
      if (running) publish();
    },
  };
}
