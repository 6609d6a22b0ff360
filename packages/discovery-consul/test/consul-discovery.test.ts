import {
  createSeededRandom,
  type DiscoveredSet,
  type Discovery,
  DiscoveryError,
  fullJitterDelay,
  ManualClock,
} from '@mcpmx/core';
import { nextEvent } from '@mcpmx/discovery-conformance';
import { type ConsulDouble, startConsulDouble } from '@mcpmx/tooling-consul-double';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConsulDiscoveryOptions, createConsulDiscovery } from '../src/index.js';

let double: ConsulDouble | undefined;
const discoveries: Discovery[] = [];
afterEach(async () => {
  for (const discovery of discoveries.splice(0)) await discovery.stop();
  await double?.close();
  double = undefined;
});

function track(options: Partial<ConsulDiscoveryOptions> = {}): Discovery {
  const discovery = createConsulDiscovery({
    url: double?.url ?? 'http://127.0.0.1:1',
    service: 'files',
    minIntervalMs: 5,
    waitMs: 30_000,
    backoff: { initialMs: 10, maxMs: 50 },
    ...options,
  });
  discoveries.push(discovery);
  return discovery;
}

const ports = (set: DiscoveredSet | undefined) =>
  (set?.endpoints ?? [])
    .map((e) => (e.transport.type === 'stdio' ? '' : new URL(e.transport.url).port))
    .sort();

describe('createConsulDiscovery against the Consul double', () => {
  it('validates options with errors naming the option', () => {
    expect(() => createConsulDiscovery({ url: 'nope', service: 'files' })).toThrow(/url/);
    expect(() => createConsulDiscovery({ url: 'ftp://x', service: 'files' })).toThrow(/url/);
    expect(() => createConsulDiscovery({ url: 'http://x', service: '' })).toThrow(/service/);
    expect(() => createConsulDiscovery({ url: 'http://x', service: 's', waitMs: 700_000 })).toThrow(
      /waitMs/,
    );
    expect(() =>
      createConsulDiscovery({ url: 'http://x', service: 's', minIntervalMs: -1 }),
    ).toThrow(/minIntervalMs/);
    expect(() =>
      createConsulDiscovery({ url: 'http://x', service: 's', backoff: { initialMs: 0 } }),
    ).toThrow(/backoff\.initialMs/);
  });

  it('sends passing, tags and token; the first request has no index, later ones block', async () => {
    double = await startConsulDouble();
    double.setService('files', [
      { id: 'a', port: 8001, tags: ['mcp'] },
      { id: 'b', port: 8002, tags: ['mcp'], status: 'critical' },
      { id: 'c', port: 8003, tags: ['other'] },
    ]);
    const discovery = track({ tag: 'mcp', token: 'secret' });
    await discovery.start();
    expect(ports(discovery.current())).toEqual(['8001']);
    await expect.poll(() => double?.blockedCount()).toBe(1);
    const [first, second] = double.requests;
    expect(first).toMatchObject({
      index: undefined,
      passing: true,
      tags: ['mcp'],
      token: 'secret',
    });
    expect(second).toMatchObject({ index: double.currentIndex(), wait: '30000ms' });
    // Blocked, not polling: exactly two requests so far.
    expect(double.requests).toHaveLength(2);

    const changed = nextEvent(discovery, 'update', (set) => ports(set).length === 2, 5000);
    double.setService('files', [
      { id: 'a', port: 8001, tags: ['mcp'] },
      { id: 'd', port: 8004, tags: ['mcp'] },
    ]);
    expect(ports(await changed)).toEqual(['8001', '8004']);
    await expect.poll(() => double?.blockedCount()).toBe(1);
    expect(double.requests).toHaveLength(3);
  });

  it('passingOnly: false includes failing entries', async () => {
    double = await startConsulDouble();
    double.setService('files', [
      { id: 'a', port: 8001 },
      { id: 'b', port: 8002, status: 'critical' },
    ]);
    const discovery = track({ passingOnly: false });
    await discovery.start();
    expect(ports(discovery.current())).toEqual(['8001', '8002']);
    expect(double.requests[0]?.passing).toBe(false);
  });

  it('resets the index to 0 when it goes backwards and never sends an index below 1', async () => {
    double = await startConsulDouble({ jitter: false });
    double.setService('files', [{ id: 'a', port: 8001 }]);
    double.setIndex(50);
    const discovery = track({ waitMs: 100 });
    await discovery.start();
    await expect.poll(() => double?.requests.at(-1)?.index).toBe(50);
    // As after a snapshot restore: Consul holds the query for the wait, then answers 7.
    double.setIndex(7);
    await expect.poll(() => double?.requests.at(-1)?.index).toBe(7);
    expect(double.requests.map((r) => r.index).slice(0, 4)).toEqual([undefined, 50, undefined, 7]);
    // An index of 0 (which Consul never sends) is never sent back: non-blocking reads follow.
    const before = double.requests.length;
    double.setIndex(0);
    await expect.poll(() => double?.requests.length).toBeGreaterThanOrEqual(before + 3);
    expect(double.requests.slice(before + 1).every((r) => r.index === undefined)).toBe(true);
    for (const request of double.requests) {
      if (request.index !== undefined) expect(request.index).toBeGreaterThanOrEqual(1);
    }
    expect(ports(discovery.current())).toEqual(['8001']);
  });

  it('emits error and keeps the last good set on a 500 or garbage, then recovers', async () => {
    double = await startConsulDouble();
    double.setService('files', [{ id: 'a', port: 8001 }]);
    const discovery = track();
    await discovery.start();
    await expect.poll(() => double?.blockedCount()).toBe(1);
    const failed = nextEvent(discovery, 'error', () => true, 5000);
    double.injectFault('http-500');
    double.injectFault('garbage-body');
    double.injectFault('missing-index');
    double.setIndex(double.currentIndex() + 1); // wakes the blocked query, same entries
    expect((await failed).error.message).toMatch(/HTTP 500/);
    expect(ports(discovery.current())).toEqual(['8001']);
    const garbage = await nextEvent(discovery, 'error', () => true, 5000);
    expect(garbage.error.message).toMatch(/not JSON/);
    expect((garbage.error as { code?: string }).code).toBe('MCPMX_DISCOVERY_FAILED');
    expect(DiscoveryError.isInstance(garbage.error)).toBe(true);
    expect(garbage.error.message).toMatch(/^Discovery source "consul:files": /);
    const noIndex = await nextEvent(discovery, 'error', () => true, 5000);
    expect(noIndex.error.message).toMatch(/X-Consul-Index/);
    expect(ports(discovery.current())).toEqual(['8001']);
    const recovered = nextEvent(discovery, 'update', (set) => ports(set)[0] === '8002', 5000);
    double.setService('files', [{ id: 'b', port: 8002 }]);
    await recovered;
  });

  it('refuses a response body over maxResponseBytes with an error, and recovers', async () => {
    double = await startConsulDouble();
    double.setService('files', [{ id: 'a', port: 8001 }]);
    const discovery = track({ maxResponseBytes: 2 * 1024 * 1024 });
    await discovery.start();
    await expect.poll(() => double?.blockedCount()).toBe(1);
    const failed = nextEvent(discovery, 'error', () => true, 10_000);
    double.injectFault('oversized-body'); // 64 MiB
    double.setIndex(double.currentIndex() + 1);
    expect((await failed).error.message).toMatch(/larger than maxResponseBytes \(2097152 bytes\)/);
    expect(ports(discovery.current())).toEqual(['8001']);
    const recovered = nextEvent(discovery, 'update', (set) => ports(set)[0] === '8002', 5000);
    double.setService('files', [{ id: 'b', port: 8002 }]);
    await recovered;
  });

  it('stop() aborts the blocked request and emits nothing afterwards', async () => {
    double = await startConsulDouble();
    double.setService('files', [{ id: 'a', port: 8001 }]);
    const discovery = track();
    await discovery.start();
    await expect.poll(() => double?.blockedCount()).toBe(1);
    let late = 0;
    discovery.on('update', () => {
      late += 1;
    });
    await discovery.stop();
    await expect.poll(() => double?.blockedCount()).toBe(0);
    const count = double.requests.length;
    double.setService('files', [{ id: 'b', port: 8002 }]);
    await double.close();
    expect(double.requests).toHaveLength(count);
    expect(late).toBe(0);
  });
});

describe('createConsulDiscovery timing (manual clock)', () => {
  function okResponse(index: number): Response {
    return new Response('[]', { status: 200, headers: { 'x-consul-index': String(index) } });
  }

  it('backs off with full jitter between failed requests and stops cleanly', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const fetchStub = (async () => {
      calls += 1;
      throw new TypeError('fetch failed: ECONNREFUSED');
    }) as typeof fetch;
    const backoff = { initialMs: 100, factor: 2, maxMs: 1000 };
    const discovery = createConsulDiscovery({
      url: 'http://consul.test:8500',
      service: 'files',
      clock,
      random: createSeededRandom(42),
      backoff,
      minIntervalMs: 0,
      fetch: fetchStub,
    });
    const errors: string[] = [];
    discovery.on('error', (e) => errors.push(e.error.message));
    await discovery.start();
    const expectedRandom = createSeededRandom(42);
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await flush();
      expect(calls).toBe(attempt + 1);
      expect(errors).toHaveLength(attempt + 1);
      const want = fullJitterDelay(attempt, backoff, expectedRandom);
      expect(clock.pending()).toEqual([want]);
      if (want > 0) {
        clock.advance(want - 1);
        await flush();
        expect(calls).toBe(attempt + 1);
      }
      clock.advance(1);
    }
    expect(errors[0]).toMatch(/ECONNREFUSED/);
    await discovery.stop();
    expect(clock.pending()).toEqual([]);
  });

  it('rate-limits a source that answers at once (no busy loop)', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const fetchStub = (async () => {
      calls += 1;
      return okResponse(5);
    }) as typeof fetch;
    const discovery = createConsulDiscovery({
      url: 'http://consul.test:8500',
      service: 'files',
      clock,
      minIntervalMs: 1000,
      fetch: fetchStub,
    });
    await discovery.start();
    await flush();
    expect(calls).toBe(1);
    clock.advance(999);
    await flush();
    expect(calls).toBe(1);
    clock.advance(1);
    await flush();
    expect(calls).toBe(2);
    clock.advance(1000);
    await flush();
    expect(calls).toBe(3);
    await discovery.stop();
    expect(clock.pending()).toEqual([]);
  });

  it('abandons a request that outlives wait + wait/16 + grace', async () => {
    const clock = new ManualClock();
    const fetchStub = ((_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as unknown as typeof fetch;
    const discovery = createConsulDiscovery({
      url: 'http://consul.test:8500',
      service: 'files',
      clock,
      requestGraceMs: 100,
      fetch: fetchStub,
    });
    const failed = nextEvent(discovery, 'error', () => true, 5000);
    const started = discovery.start();
    await flush();
    clock.advance(10_100);
    await started;
    expect((await failed).error.message).toMatch(/did not answer within 10100 ms/);
    await discovery.stop();
    expect(clock.pending()).toEqual([]);
  });
});

/** Lets queued promise callbacks run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}
