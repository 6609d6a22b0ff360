import {
  type DiscoveryHarness,
  describeDiscoveryConformance,
  type FixtureEndpoint,
} from '@mcpmx/discovery-conformance';
import { requireSystemBinary } from '@mcpmx/tooling-test-daemons';
import { describe } from 'vitest';
import { createDnsDiscovery } from '../src/index.js';
import { DnsmasqFixture, type DnsmasqRecord, freeDnsPort } from './dnsmasq-fixture.js';

const dnsmasq = requireSystemBinary('dnsmasq', 'dnsmasq');
const SERVICE = '_mcp._tcp.conformance.test';
const REFRESH_MS = 100;

function toRecord(endpoint: FixtureEndpoint): DnsmasqRecord {
  return {
    target: `${endpoint.key}.conformance.test`,
    address: endpoint.host,
    port: endpoint.port,
    weight: endpoint.weight,
    txt: ['transport=streamable-http', 'path=/mcp', `tags=${endpoint.tags.join(',')}`],
  };
}

async function createHarness(): Promise<DiscoveryHarness> {
  const fixture = new DnsmasqFixture(
    dnsmasq.path as string,
    await freeDnsPort(),
    SERVICE,
    'conformance.test',
  );
  let records: DnsmasqRecord[] = [];
  return {
    createDiscovery: () =>
      createDnsDiscovery({
        name: SERVICE,
        server: 'files',
        resolver: fixture.address,
        refreshMs: REFRESH_MS,
        minRefreshMs: 10,
        lookupTimeoutMs: 500,
      }),
    async publish(endpoints) {
      records = endpoints.map(toRecord);
      await fixture.serve(records);
    },
    async publishMalformed() {
      const target = 'broken.conformance.test';
      records = [
        ...records,
        { target, address: '127.0.0.1', port: 18999, weight: 1, txt: ['transport=carrier-pigeon'] },
      ];
      await fixture.serve(records);
      return target;
    },
    breakSource: () => fixture.stop(),
    restoreSource: () => fixture.start(),
    close: () => fixture.close(),
  };
}

describe.skipIf(dnsmasq.path === undefined)(`dnsmasq ${dnsmasq.skipReason ?? ''}`, () => {
  describeDiscoveryConformance('dns', createHarness, { updateTimeoutMs: 5_000 });
});
