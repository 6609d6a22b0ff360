import { describe, expect, it } from 'vitest';
import type { DiscoveredSet, DiscoveryEvents } from './discovery.js';
import {
  createDiscoverySource,
  type DiscoveryResult,
  type DiscoveryRun,
} from './discovery-source.js';
import type { EndpointDescriptor } from './endpoint.js';
import { InvalidOptionError, McpmxError } from './errors.js';
import { ManualClock } from './manual-clock.js';
import { createOneShotTimer } from './one-shot-timer.js';
import { DiscoveryError } from './routing-errors.js';

function endpoint(port: number, weight = 1): EndpointDescriptor {
  return {
    id: `test/${port}`,
    server: 'files',
    transport: { type: 'streamable-http', url: `http://127.0.0.1:${port}/mcp` },
    weight,
    source: 'test',
  };
}

function set(...endpoints: EndpointDescriptor[]): DiscoveryResult {
  return { endpoints, skipped: [] };
}

/** A fetch the test answers by hand: each call waits until `answer` or `reject`. */
function scriptedFetch() {
  const calls: { resolve: (result: DiscoveryResult) => void; reject: (error: unknown) => void }[] =
    [];
  const signals: AbortSignal[] = [];
  return {
    calls,
    signals,
    fetch: (signal: AbortSignal) =>
      new Promise<DiscoveryResult>((resolve, reject) => {
        signals.push(signal);
        calls.push({ resolve, reject });
      }),
    answer(result: DiscoveryResult) {
      calls.shift()?.resolve(result);
    },
    reject(error: unknown) {
      calls.shift()?.reject(error);
    },
  };
}

/** A DNS-style watch: refresh now, then every `ms` on the clock. */
function refreshEvery(clock: ManualClock, ms: number) {
  const teardowns: number[] = [];
  return {
    teardowns,
    watch(run: DiscoveryRun) {
      const timer = createOneShotTimer(clock);
      const tick = async () => {
        await run.refresh();
        if (run.active) timer.schedule(ms, () => void tick());
      };
      void tick();
      return () => {
        teardowns.push(clock.now());
        timer.cancel();
      };
    },
  };
}

function record<K extends keyof DiscoveryEvents>(
  discovery: { on: (event: K, listener: (payload: DiscoveryEvents[K]) => void) => () => void },
  event: K,
): DiscoveryEvents[K][] {
  const seen: DiscoveryEvents[K][] = [];
  discovery.on(event, (payload) => seen.push(payload));
  return seen;
}

/** Lets queued promise callbacks run. */
async function flush(): Promise<void> {
  for (let index = 0; index < 10; index += 1) await Promise.resolve();
}

describe('createDiscoverySource', () => {
  it('rejects a missing id', () => {
    expect(() =>
      createDiscoverySource({ id: '', fetch: async () => set(), watch: () => undefined }),
    ).toThrow(InvalidOptionError);
  });

  it('start() resolves on the first set, stamped with the source and the clock', async () => {
    const clock = new ManualClock();
    clock.advance(42);
    const source = scriptedFetch();
    const discovery = createDiscoverySource({
      id: 'test',
      clock,
      fetch: source.fetch,
      ...refreshEvery(clock, 1_000),
    });
    const updates = record(discovery, 'update');
    let started = false;
    const starting = discovery.start().then(() => {
      started = true;
    });
    await flush();
    expect(started).toBe(false);
    source.answer(set(endpoint(1)));
    await starting;
    expect(updates).toHaveLength(1);
    expect(discovery.current()).toEqual<DiscoveredSet>({
      source: 'test',
      endpoints: [endpoint(1)],
      skipped: [],
      at: 42,
    });
    await discovery.stop();
  });

  it('emits an update only when the set changes, whatever the order', async () => {
    const clock = new ManualClock();
    const source = scriptedFetch();
    const discovery = createDiscoverySource({
      id: 'test',
      clock,
      fetch: source.fetch,
      ...refreshEvery(clock, 1_000),
    });
    const updates = record(discovery, 'update');
    const starting = discovery.start();
    await flush();
    source.answer(set(endpoint(1), endpoint(2)));
    await starting;

    clock.advance(1_000);
    source.answer(set(endpoint(2), endpoint(1)));
    await flush();
    expect(updates).toHaveLength(1);

    clock.advance(1_000);
    source.answer(set(endpoint(2, 5), endpoint(1)));
    await flush();
    expect(updates).toHaveLength(2);
    expect(updates[1]?.at).toBe(2_000);

    clock.advance(1_000);
    source.answer({
      endpoints: [endpoint(2, 5), endpoint(1)],
      skipped: [{ record: 'k', reason: 'r' }],
    });
    await flush();
    expect(updates).toHaveLength(3);
    expect(discovery.current()?.skipped).toEqual([{ record: 'k', reason: 'r' }]);
    await discovery.stop();
  });

  it('an error keeps the last good set; the next set is emitted even if unchanged', async () => {
    const clock = new ManualClock();
    const source = scriptedFetch();
    const discovery = createDiscoverySource({
      id: 'test',
      clock,
      fetch: source.fetch,
      ...refreshEvery(clock, 1_000),
    });
    const updates = record(discovery, 'update');
    const errors = record(discovery, 'error');
    const starting = discovery.start();
    await flush();
    source.answer(set(endpoint(1)));
    await starting;

    clock.advance(1_000);
    source.reject(new TypeError('connection refused'));
    await flush();
    expect(errors).toHaveLength(1);
    const [failure] = errors;
    expect(failure?.source).toBe('test');
    expect(DiscoveryError.isInstance(failure?.error)).toBe(true);
    expect(failure?.error.message).toBe('Discovery source "test": connection refused');
    expect((failure?.error as McpmxError | undefined)?.cause).toBeInstanceOf(TypeError);
    expect(discovery.current()?.endpoints).toEqual([endpoint(1)]);
    expect(clock.pending()).toEqual([1_000]);

    clock.advance(1_000);
    source.answer(set(endpoint(1)));
    await flush();
    expect(updates).toHaveLength(2);
    expect(updates[1]?.at).toBe(2_000);
    await discovery.stop();
  });

  it('start() resolves on a first error, and toError shapes the error', async () => {
    const clock = new ManualClock();
    const source = scriptedFetch();
    const discovery = createDiscoverySource({
      id: 'test',
      clock,
      fetch: source.fetch,
      ...refreshEvery(clock, 1_000),
      toError: (error) => new DiscoveryError('test', `lookup failed (${String(error)})`),
    });
    const errors = record(discovery, 'error');
    const starting = discovery.start();
    await flush();
    source.reject('ECONNREFUSED');
    await starting;
    expect(errors.map((event) => event.error.message)).toEqual([
      'Discovery source "test": lookup failed (ECONNREFUSED)',
    ]);
    expect(discovery.current()).toBeUndefined();
    await discovery.stop();
  });

  it('a watch that throws reports an error and start() still resolves', async () => {
    const discovery = createDiscoverySource({
      id: 'test',
      fetch: async () => set(),
      watch: () => {
        throw new DiscoveryError('test', 'no client');
      },
    });
    const errors = record(discovery, 'error');
    await discovery.start();
    expect(errors.map((event) => event.error.message)).toEqual([
      'Discovery source "test": no client',
    ]);
    await discovery.stop();
  });

  it('stop() is idempotent, tears down once, aborts the run and drops late results', async () => {
    const clock = new ManualClock();
    const source = scriptedFetch();
    const watch = refreshEvery(clock, 1_000);
    const discovery = createDiscoverySource({ id: 'test', clock, fetch: source.fetch, ...watch });
    let events = 0;
    discovery.on('update', () => {
      events += 1;
    });
    discovery.on('error', () => {
      events += 1;
    });
    const starting = discovery.start();
    await flush();
    await discovery.stop();
    await discovery.stop();
    await starting; // a start() still waiting resolves when stopped
    expect(watch.teardowns).toEqual([0]);
    expect(source.signals[0]?.aborted).toBe(true);
    expect(McpmxError.isInstance(source.signals[0]?.reason)).toBe(true);

    source.answer(set(endpoint(1)));
    await flush();
    expect(events).toBe(0);
    expect(discovery.current()).toBeUndefined();
    expect(clock.pending()).toEqual([]);
  });

  it('a stale run publishes nothing after a restart, and the new run emits its first set', async () => {
    const clock = new ManualClock();
    const source = scriptedFetch();
    const discovery = createDiscoverySource({
      id: 'test',
      clock,
      fetch: source.fetch,
      ...refreshEvery(clock, 1_000),
    });
    const updates = record(discovery, 'update');
    const first = discovery.start();
    await flush();
    source.answer(set(endpoint(1)));
    await first;

    // A refresh is in flight when the discovery stops; it answers after a restart.
    clock.advance(1_000);
    await discovery.stop();
    const second = discovery.start();
    await flush();
    expect(source.calls).toHaveLength(2);
    source.answer(set(endpoint(9))); // the stale run's answer
    await flush();
    expect(updates).toHaveLength(1);

    source.answer(set(endpoint(1))); // the new run's: equal to the last set, still emitted
    await second;
    expect(updates).toHaveLength(2);
    expect(updates.map((update) => update.endpoints.map((item) => item.id))).toEqual([
      ['test/1'],
      ['test/1'],
    ]);
    await discovery.stop();
    expect(clock.pending()).toEqual([]);
  });

  it('publish and fail from a watch stream go through the same rules', async () => {
    let stream: DiscoveryRun | undefined;
    const discovery = createDiscoverySource({
      id: 'test',
      fetch: async () => set(endpoint(1)),
      watch: (run) => {
        stream = run;
        void run.refresh();
        return undefined;
      },
    });
    const updates = record(discovery, 'update');
    const errors = record(discovery, 'error');
    await discovery.start();
    stream?.publish(set(endpoint(1)));
    expect(updates).toHaveLength(1);
    stream?.publish(set(endpoint(2)));
    expect(updates).toHaveLength(2);
    stream?.fail(new DiscoveryError('test', 'watch lost'));
    expect(errors[0]?.error.message).toBe('Discovery source "test": watch lost');
    stream?.publish(set(endpoint(2)));
    expect(updates).toHaveLength(3);
    await discovery.stop();
    stream?.publish(set(endpoint(3)));
    stream?.fail(new Error('late'));
    expect(updates).toHaveLength(3);
    expect(errors).toHaveLength(1);
    expect(stream?.active).toBe(false);
  });
});
