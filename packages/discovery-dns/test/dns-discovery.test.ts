import { createSeededRandom, InvalidOptionError, ManualClock } from '@mcpmx/core';
import { nextEvent } from '@mcpmx/discovery-conformance';
import { requireSystemBinary } from '@mcpmx/tooling-test-daemons';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { effectiveRefreshMs } from '../src/dns-discovery.js';
import { createDnsDiscovery } from '../src/index.js';
import { DnsmasqFixture, freeDnsPort } from './dnsmasq-fixture.js';

const dnsmasq = requireSystemBinary('dnsmasq', 'dnsmasq');
const SERVICE = '_mcp._tcp.files.test';

describe('createDnsDiscovery options', () => {
  it.each([
    [{ name: '', server: 'files' }, 'name must be a non-empty SRV name'],
    [{ name: SERVICE, server: '' }, 'server must be'],
    [{ name: SERVICE, server: 'files', refreshMs: 0 }, 'refreshMs must be a number >= 1 (got 0)'],
    [{ name: SERVICE, server: 'files', minRefreshMs: 5000, maxRefreshMs: 10 }, 'maxRefreshMs'],
    [{ name: SERVICE, server: 'files', path: 'mcp' }, 'path must be a path starting with "/"'],
    [{ name: SERVICE, server: 'files', resolver: 'not an address' }, 'resolver must be'],
  ])('rejects %j', (options, message) => {
    expect(() => createDnsDiscovery(options)).toThrow(InvalidOptionError);
    expect(() => createDnsDiscovery(options)).toThrow(message);
  });

  it('clamps refreshMs into [minRefreshMs, maxRefreshMs]', () => {
    expect(effectiveRefreshMs({ refreshMs: 10, minRefreshMs: 1000, maxRefreshMs: 5000 })).toBe(
      1000,
    );
    expect(effectiveRefreshMs({ refreshMs: 9000, minRefreshMs: 1000, maxRefreshMs: 5000 })).toBe(
      5000,
    );
    expect(effectiveRefreshMs({ refreshMs: 3000, minRefreshMs: 1000, maxRefreshMs: 5000 })).toBe(
      3000,
    );
  });
});

describe.skipIf(dnsmasq.path === undefined)(
  `dns discovery against dnsmasq ${dnsmasq.skipReason ?? ''}`,
  () => {
    let fixture: DnsmasqFixture;

    beforeAll(async () => {
      fixture = new DnsmasqFixture(
        dnsmasq.path as string,
        await freeDnsPort(),
        SERVICE,
        'files.test',
      );
    });
    afterEach(async () => {
      await fixture.stop();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('refreshes on the Clock at the clamped interval, and stop() leaves no timer', async () => {
      await fixture.serve([
        { target: 'a.files.test', address: '127.0.0.1', port: 9001, weight: 5 },
      ]);
      const clock = new ManualClock();
      const discovery = createDnsDiscovery({
        name: SERVICE,
        server: 'files',
        resolver: fixture.address,
        refreshMs: 50,
        minRefreshMs: 2_000,
        clock,
      });
      await discovery.start();
      expect(discovery.current()?.endpoints.map((endpoint) => endpoint.transport)).toEqual([
        { type: 'streamable-http', url: 'http://127.0.0.1:9001/mcp' },
      ]);
      expect(clock.pending()).toEqual([2_000]);

      // Changes are picked up across a dnsmasq restart, at the next tick of the clock.
      await fixture.serve([
        { target: 'b.files.test', address: '127.0.0.2', port: 9002, weight: 5 },
      ]);
      const changed = nextEvent(discovery, 'update');
      expect(clock.fireNext()).toBe(2_000);
      const set = await changed;
      expect(set.endpoints.map((endpoint) => endpoint.id)).toEqual([
        `dns:${SERVICE}/b.files.test:9002`,
      ]);
      expect(set.at).toBe(2_000);

      await discovery.stop();
      expect(clock.pending()).toEqual([]);
    });

    it('applies TXT at the target, falling back to TXT at the service name', async () => {
      await fixture.serve(
        [
          {
            target: 'own.files.test',
            address: '127.0.0.1',
            port: 9101,
            weight: 1,
            txt: ['transport=websocket', 'path=/ws', 'tags=edge,eu', 'zone=a'],
          },
          { target: 'plain.files.test', address: '127.0.0.1', port: 9102, weight: 1 },
        ],
        ['transport=sse', 'path=/sse', 'tags=shared', 'scheme=https'],
      );
      const discovery = createDnsDiscovery({
        name: SERVICE,
        server: 'files',
        resolver: fixture.address,
      });
      await discovery.start();
      const byTarget = new Map(
        discovery
          .current()
          ?.endpoints.map((endpoint) => [endpoint.metadata?.['dns.target'], endpoint]),
      );
      expect(byTarget.get('own.files.test')).toMatchObject({
        transport: { type: 'websocket', url: 'wss://127.0.0.1:9101/ws' },
        tags: ['edge', 'eu'],
        metadata: { zone: 'a' },
      });
      expect(byTarget.get('plain.files.test')).toMatchObject({
        transport: { type: 'sse', url: 'https://127.0.0.1:9102/sse' },
        tags: ['shared'],
      });
      await discovery.stop();
    });

    it('emits endpoints in RFC 2782 order: lowest priority first', async () => {
      await fixture.serve([
        {
          target: 'backup.files.test',
          address: '127.0.0.1',
          port: 9202,
          priority: 20,
          weight: 100,
        },
        { target: 'main.files.test', address: '127.0.0.1', port: 9201, priority: 10, weight: 1 },
      ]);
      const discovery = createDnsDiscovery({
        name: SERVICE,
        server: 'files',
        resolver: [fixture.address],
        random: createSeededRandom(9),
      });
      await discovery.start();
      expect(
        discovery.current()?.endpoints.map((endpoint) => endpoint.metadata?.['dns.target']),
      ).toEqual(['main.files.test', 'backup.files.test']);
      await discovery.stop();
    });

    it('treats a name with no SRV records as an empty set, not an error', async () => {
      await fixture.serve([]);
      const discovery = createDnsDiscovery({
        name: SERVICE,
        server: 'files',
        resolver: fixture.address,
      });
      let errors = 0;
      discovery.on('error', () => {
        errors += 1;
      });
      await discovery.start();
      expect(discovery.current()?.endpoints).toEqual([]);
      expect(errors).toBe(0);
      await discovery.stop();
    });

    it('an error names the source and the SRV name, and stop() during a lookup emits nothing', async () => {
      // Nothing listens: the lookup fails.
      const discovery = createDnsDiscovery({
        name: SERVICE,
        server: 'files',
        resolver: fixture.address,
        lookupTimeoutMs: 300,
      });
      const failed = nextEvent(discovery, 'error');
      await discovery.start();
      const { error } = await failed;
      expect(error.message).toContain(SERVICE);
      expect((error as { code?: string }).code).toBe('MCPMX_DISCOVERY_FAILED');
      expect(discovery.current()).toBeUndefined();
      await discovery.stop();

      const second = createDnsDiscovery({
        name: SERVICE,
        server: 'files',
        resolver: fixture.address,
      });
      let events = 0;
      second.on('update', () => {
        events += 1;
      });
      second.on('error', () => {
        events += 1;
      });
      const starting = second.start();
      await second.stop();
      await starting;
      expect(events).toBe(0);
    });
  },
);
