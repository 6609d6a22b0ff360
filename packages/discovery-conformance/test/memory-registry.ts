import { EventEmitter } from 'node:events';
import {
  createDiscoverySource,
  type Discovery,
  DiscoveryError,
  type EndpointDescriptor,
  type SkippedRecord,
} from '@mcpmx/core';
import type { FixtureEndpoint } from '@mcpmx/discovery-conformance';

/**
 * A toy service registry held in memory, standing in for "your own source" in the README's
 * example: JSON records by key, a 'change' event on every write, and an outage switch.
 */
export class MemoryRegistry extends EventEmitter {
  readonly records = new Map<string, string>();
  up = true;

  write(records: ReadonlyMap<string, string>): void {
    this.records.clear();
    for (const [key, value] of records) this.records.set(key, value);
    this.emit('change');
  }

  /** Adds one record; returns its key. */
  add(key: string, value: string): string {
    this.records.set(key, value);
    this.emit('change');
    return key;
  }

  setUp(up: boolean): void {
    this.up = up;
    this.emit('change');
  }

  close(): void {
    this.removeAllListeners();
  }
}

/** The registry's records for the suite's fixture endpoints. */
export function toRecords(endpoints: readonly FixtureEndpoint[]): Map<string, string> {
  return new Map(
    endpoints.map((endpoint) => [
      endpoint.key,
      JSON.stringify({ ...endpoint, url: `http://${endpoint.host}:${endpoint.port}/mcp` }),
    ]),
  );
}

/** A Discovery over a MemoryRegistry, built on core's createDiscoverySource. */
export function createMemoryDiscovery(registry: MemoryRegistry): Discovery {
  const id = 'memory';
  return createDiscoverySource({
    id,
    async fetch() {
      if (!registry.up) throw new DiscoveryError(id, 'the registry is down');
      const endpoints: EndpointDescriptor[] = [];
      const skipped: SkippedRecord[] = [];
      for (const [key, text] of registry.records) {
        try {
          const { server, url, weight, tags } = JSON.parse(text);
          endpoints.push({
            id: `${id}/${key}`,
            server,
            transport: { type: 'streamable-http', url },
            weight,
            tags,
            source: id,
          });
        } catch (error) {
          skipped.push({ record: key, reason: `not JSON (${(error as Error).message})` });
        }
      }
      return { endpoints, skipped };
    },
    watch(run) {
      const onChange = () => void run.refresh();
      registry.on('change', onChange);
      void run.refresh();
      return () => {
        registry.off('change', onChange);
      };
    },
  });
}
