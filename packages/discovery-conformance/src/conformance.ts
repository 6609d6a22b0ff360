import type { DiscoveredSet, Discovery, DiscoveryEvents, EndpointDescriptor } from '@mcpmx/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveryHarness, FixtureEndpoint } from './harness.js';
import { nextEvent } from './next-event.js';

/** Options for {@link describeDiscoveryConformance}. */
export interface ConformanceOptions {
  /** How long a case waits for an 'update' or 'error' event. Default 10 000 ms. */
  updateTimeoutMs?: number;
}

const alpha: FixtureEndpoint = {
  key: 'alpha',
  server: 'files',
  host: '127.0.0.1',
  port: 18001,
  weight: 10,
  tags: ['blue'],
};
const beta: FixtureEndpoint = {
  key: 'beta',
  server: 'files',
  host: '127.0.0.1',
  port: 18002,
  weight: 20,
  tags: [],
};
const gamma: FixtureEndpoint = {
  key: 'gamma',
  server: 'files',
  host: '127.0.0.1',
  port: 18003,
  weight: 30,
  tags: ['green', 'red'],
};

/** A canonical, order-free summary of one endpoint, used to compare sets. */
function describeFixture(endpoint: FixtureEndpoint): string {
  return `${endpoint.server}|${endpoint.host}:${endpoint.port}|w=${endpoint.weight}|tags=${[...endpoint.tags].sort().join(',')}`;
}

function describeEndpoint(endpoint: EndpointDescriptor): string {
  let address = '(stdio)';
  if (endpoint.transport.type !== 'stdio') {
    const url = new URL(endpoint.transport.url);
    address = `${url.hostname}:${url.port}`;
  }
  const tags = [...(endpoint.tags ?? [])].sort().join(',');
  return `${endpoint.server}|${address}|w=${endpoint.weight ?? 1}|tags=${tags}`;
}

function summarise(set: DiscoveredSet | undefined): string[] {
  return (set?.endpoints ?? []).map(describeEndpoint).sort();
}

function expected(endpoints: readonly FixtureEndpoint[]): string[] {
  return endpoints.map(describeFixture).sort();
}

function sameSet(set: DiscoveredSet, endpoints: readonly FixtureEndpoint[]): boolean {
  return JSON.stringify(summarise(set)) === JSON.stringify(expected(endpoints));
}

/**
 * Registers a vitest describe() block with the discovery conformance cases: the initial set;
 * add and remove (ids stay stable); a change of weight or tags; a malformed record skipped
 * with a reason while the rest apply (or, for a source that validates a whole document,
 * rejected with an 'error' while the last good set stays); an unreachable source keeping the
 * last known good set, emitting 'error' and recovering; and `stop()` ending the watch. Cases
 * wait on 'update'/'error' events, never on sleeps. They run in real time (the harness owns
 * real servers), bounded by `updateTimeoutMs`.
 */
export function describeDiscoveryConformance(
  name: string,
  createHarness: () => Promise<DiscoveryHarness>,
  options: ConformanceOptions = {},
): void {
  const timeoutMs = options.updateTimeoutMs ?? 10_000;

  describe(`${name} discovery conformance`, () => {
    let harness: DiscoveryHarness | undefined;
    const discoveries: Discovery[] = [];

    async function setup(endpoints: readonly FixtureEndpoint[]): Promise<DiscoveryHarness> {
      harness = await createHarness();
      await harness.publish(endpoints);
      return harness;
    }

    function track(discovery: Discovery): Discovery {
      discoveries.push(discovery);
      return discovery;
    }

    async function startAndExpect(
      fixture: DiscoveryHarness,
      endpoints: readonly FixtureEndpoint[],
    ): Promise<Discovery> {
      const discovery = track(fixture.createDiscovery());
      const first = nextEvent(discovery, 'update', (set) => sameSet(set, endpoints), timeoutMs);
      await discovery.start();
      await first;
      expect(summarise(discovery.current())).toEqual(expected(endpoints));
      return discovery;
    }

    afterEach(async () => {
      for (const discovery of discoveries.splice(0)) await discovery.stop();
      await harness?.close();
      harness = undefined;
    });

    it('emits the initial set on start and exposes it as current()', async () => {
      const fixture = await setup([alpha, beta]);
      const discovery = await startAndExpect(fixture, [alpha, beta]);
      const set = discovery.current();
      expect(set?.skipped).toEqual([]);
      expect(set?.source).toBe(discovery.id);
      const ids = set?.endpoints.map((endpoint) => endpoint.id) ?? [];
      expect(new Set(ids).size).toBe(2);
    });

    it('picks up an added and a removed endpoint', async () => {
      const fixture = await setup([alpha, beta]);
      const discovery = await startAndExpect(fixture, [alpha, beta]);
      const idOfAlpha = discovery
        .current()
        ?.endpoints.find((endpoint) => describeEndpoint(endpoint) === describeFixture(alpha))?.id;
      const changed = nextEvent(
        discovery,
        'update',
        (set) => sameSet(set, [alpha, gamma]),
        timeoutMs,
      );
      await fixture.publish([alpha, gamma]);
      const set = await changed;
      expect(summarise(set)).toEqual(expected([alpha, gamma]));
      // An endpoint that stayed keeps its id across updates.
      const stillAlpha = set.endpoints.find(
        (endpoint) => describeEndpoint(endpoint) === describeFixture(alpha),
      );
      expect(stillAlpha?.id).toBe(idOfAlpha);
    });

    it('picks up a change of weight and tags', async () => {
      const fixture = await setup([alpha]);
      const discovery = await startAndExpect(fixture, [alpha]);
      const reweighted: FixtureEndpoint = { ...alpha, weight: 55, tags: ['canary', 'blue'] };
      const changed = nextEvent(
        discovery,
        'update',
        (set) => sameSet(set, [reweighted]),
        timeoutMs,
      );
      await fixture.publish([reweighted]);
      const set = await changed;
      expect(set.endpoints[0]?.weight).toBe(55);
      expect([...(set.endpoints[0]?.tags ?? [])].sort()).toEqual(['blue', 'canary']);
    });

    it('skips a malformed record with a reason while the rest apply', async () => {
      const fixture = await setup([alpha, beta]);
      if (fixture.malformedRecords === 'reject') {
        // A source that validates a whole document: the bad edit is an error, the set stays.
        const discovery = await startAndExpect(fixture, [alpha, beta]);
        const errors: DiscoveryEvents['error'][] = [];
        const dispose = discovery.on('error', (event) => errors.push(event));
        const marker = await fixture.publishMalformed();
        const naming = (event: DiscoveryEvents['error']) => event.error.message.includes(marker);
        // It may have arrived while publishMalformed() was settling; else wait for it.
        const error =
          errors.find(naming) ?? (await nextEvent(discovery, 'error', naming, timeoutMs));
        dispose();
        expect(error.error.message).toContain(marker);
        expect(error.source).toBe(discovery.id);
        expect(summarise(discovery.current())).toEqual(expected([alpha, beta]));
        return;
      }
      const marker = await fixture.publishMalformed();
      const discovery = track(fixture.createDiscovery());
      const withSkip = nextEvent(
        discovery,
        'update',
        (set) =>
          sameSet(set, [alpha, beta]) &&
          set.skipped.some((skip) => skip.record.includes(marker) || skip.reason.includes(marker)),
        timeoutMs,
      );
      await discovery.start();
      const set = await withSkip;
      expect(summarise(set)).toEqual(expected([alpha, beta]));
      for (const skip of set.skipped) expect(skip.reason.length).toBeGreaterThan(0);
    });

    it('keeps the last known good set and emits error while the source is unreachable', async () => {
      const fixture = await setup([alpha, beta]);
      const discovery = await startAndExpect(fixture, [alpha, beta]);
      const failed = nextEvent(discovery, 'error', () => true, timeoutMs);
      await fixture.breakSource();
      const error = await failed;
      expect(error.source).toBe(discovery.id);
      expect(error.error).toBeInstanceOf(Error);
      expect(error.error.message.length).toBeGreaterThan(0);
      expect(summarise(discovery.current())).toEqual(expected([alpha, beta]));

      // It recovers once the source is back, and sees changes made after that.
      await fixture.restoreSource();
      const recovered = nextEvent(discovery, 'update', (set) => sameSet(set, [gamma]), timeoutMs);
      await fixture.publish([gamma]);
      await recovered;
      expect(summarise(discovery.current())).toEqual(expected([gamma]));
    });

    it('stop() ends the watch: no update after stop, and the fixture closes', async () => {
      const fixture = await setup([alpha]);
      const stopped = await startAndExpect(fixture, [alpha]);
      await stopped.stop();
      await stopped.stop(); // idempotent
      let lateUpdates = 0;
      stopped.on('update', () => {
        lateUpdates += 1;
      });
      stopped.on('error', () => {
        lateUpdates += 1;
      });

      // A second, live discovery proves the changes reached watchers; the stopped one must
      // not see them. Two changes give a refreshing source a full interval to misbehave.
      const witness = await startAndExpect(fixture, [alpha]);
      const sawBeta = nextEvent(witness, 'update', (set) => sameSet(set, [alpha, beta]), timeoutMs);
      await fixture.publish([alpha, beta]);
      await sawBeta;
      const sawGamma = nextEvent(witness, 'update', (set) => sameSet(set, [gamma]), timeoutMs);
      await fixture.publish([gamma]);
      await sawGamma;

      expect(lateUpdates).toBe(0);
      expect(summarise(stopped.current())).toEqual(expected([alpha]));
      await witness.stop();
      await fixture.close();
      harness = undefined;
    });
  });
}
