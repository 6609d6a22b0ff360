import {
  type DiscoveryHarness,
  describeDiscoveryConformance,
  type FixtureEndpoint,
} from '@mcpmx/discovery-conformance';
import {
  type ConsulDouble,
  type ConsulEntryInput,
  startConsulDouble,
} from '@mcpmx/tooling-consul-double';
import { createConsulDiscovery } from '../src/index.js';

async function createHarness(): Promise<DiscoveryHarness> {
  const double: ConsulDouble = await startConsulDouble();
  let entries: ConsulEntryInput[] = [];
  const toEntry = (endpoint: FixtureEndpoint): ConsulEntryInput => ({
    id: endpoint.key,
    address: endpoint.host,
    port: endpoint.port,
    tags: [...endpoint.tags],
    weights: { Passing: endpoint.weight, Warning: 1 },
  });
  return {
    createDiscovery: () =>
      createConsulDiscovery({
        url: double.url,
        service: 'files',
        server: 'files',
        waitMs: 5000,
        minIntervalMs: 10,
        backoff: { initialMs: 10, maxMs: 100 },
      }),
    async publish(endpoints) {
      entries = endpoints.map(toEntry);
      double.setService('files', entries);
    },
    async publishMalformed() {
      entries = [
        ...entries,
        {
          id: 'broken-record',
          port: 0,
          raw: { Node: { Node: 'n', Address: '' }, Service: { ID: 'broken-record', Port: 'nope' } },
        },
      ];
      double.setService('files', entries);
      return 'broken-record';
    },
    breakSource: () => double.stopListening(),
    restoreSource: () => double.listen(),
    close: () => double.close(),
  };
}

describeDiscoveryConformance('consul discovery (against the Consul double)', createHarness);
