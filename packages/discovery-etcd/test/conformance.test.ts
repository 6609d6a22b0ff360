import {
  type DiscoveryHarness,
  describeDiscoveryConformance,
  type FixtureEndpoint,
} from '@mcpmx/discovery-conformance';
import { requireSystemBinary } from '@mcpmx/tooling-test-daemons';
import { Etcd3 } from 'etcd3';
import { describe } from 'vitest';
import { createEtcdDiscovery } from '../src/index.js';
import { EtcdFixture } from './etcd-fixture.js';

const etcd = requireSystemBinary('etcd', 'etcd-server');
const PREFIX = '/mcpmx/conformance/';

function toRecord(endpoint: FixtureEndpoint): string {
  return JSON.stringify({
    server: endpoint.server,
    url: `http://${endpoint.host}:${endpoint.port}/mcp`,
    tags: endpoint.tags,
    weight: endpoint.weight,
  });
}

async function createHarness(): Promise<DiscoveryHarness> {
  const fixture = await EtcdFixture.create(etcd.path as string);
  await fixture.start();
  const admin = new Etcd3({ hosts: fixture.url });
  return {
    createDiscovery: () =>
      createEtcdDiscovery({
        hosts: fixture.url,
        prefix: PREFIX,
        retry: { initialMs: 50, maxMs: 500 },
      }),
    async publish(endpoints) {
      const keep = new Set(endpoints.map((endpoint) => `${PREFIX}${endpoint.key}`));
      for (const endpoint of endpoints) {
        await admin.put(`${PREFIX}${endpoint.key}`).value(toRecord(endpoint)).exec();
      }
      for (const key of await admin.getAll().prefix(PREFIX).keys()) {
        if (!keep.has(key)) await admin.delete().key(key).exec();
      }
    },
    async publishMalformed() {
      const key = `${PREFIX}broken-record`;
      await admin.put(key).value('{"server": "files", "url": ').exec();
      return key;
    },
    breakSource: () => fixture.stop(),
    restoreSource: () => fixture.start(),
    async close() {
      admin.close();
      await fixture.close();
    },
  };
}

describe.skipIf(etcd.path === undefined)(`etcd ${etcd.skipReason ?? ''}`, () => {
  describeDiscoveryConformance('etcd', createHarness, { updateTimeoutMs: 15_000 });
});
