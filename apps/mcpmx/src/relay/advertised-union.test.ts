import type { Advertised } from '@mcpmx/client';
import { ManualClock } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { createAdvertisedUnion } from './advertised-union.js';

/** A readvertise whose renewals the test ends, each recording what the union was when it ran. */
function renewals(current: () => Advertised) {
  const runs: { read: Advertised; end: () => void }[] = [];
  const readvertise = () =>
    new Promise<void>((resolve) => {
      runs.push({ read: current(), end: resolve });
    });
  return { runs, readvertise };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  // Promise callbacks only: no timers run here.
  for (let turn = 0; turn < 10; turn++) await Promise.resolve();
  return done;
};

describe('createAdvertisedUnion', () => {
  const make = (shrinkAfterMs = 1000) => {
    const clock = new ManualClock();
    let union: ReturnType<typeof createAdvertisedUnion> | undefined;
    const { runs, readvertise } = renewals(() => union?.current() ?? {});
    union = createAdvertisedUnion({ readvertise, clock, shrinkAfterMs });
    return { union, runs, clock };
  };

  it('a session with nothing new is ready at once; one with more waits for a renewal that promises it', async () => {
    const { union, runs } = make();
    const plain = union.join({});
    expect(await settled(plain.ready)).toBe(true);
    expect(runs).toHaveLength(0);

    const sampler = union.join({ sampling: true });
    expect(runs.map((run) => run.read)).toEqual([{ sampling: true }]);
    expect(await settled(sampler.ready)).toBe(false);
    runs[0]?.end();
    expect(await settled(sampler.ready)).toBe(true);
    // Promised now: another sampler is ready at once.
    expect(await settled(union.join({ sampling: true }).ready)).toBe(true);
    expect(runs).toHaveLength(1);
  });

  it('a storm of sessions coalesces: one renewal in flight, one queued that reads the union when it starts', async () => {
    const { union, runs } = make();
    const first = union.join({ sampling: true });
    const rest = [
      union.join({ elicitation: { form: true } }),
      union.join({ roots: true }),
      ...Array.from({ length: 20 }, () => union.join({ elicitation: { url: true } })),
    ];
    expect(runs).toHaveLength(1);
    runs[0]?.end();
    expect(await settled(first.ready)).toBe(true);
    expect(await settled(Promise.all(rest.map((member) => member.ready)))).toBe(false);
    expect(runs).toHaveLength(2);
    expect(runs[1]?.read).toEqual({
      elicitation: { form: true, url: true },
      sampling: true,
      roots: true,
    });
    runs[1]?.end();
    expect(await settled(Promise.all(rest.map((member) => member.ready)))).toBe(true);
    expect(runs).toHaveLength(2);
  });

  it('a session that joins during a renewal that read it waits for that renewal only', async () => {
    const { union, runs } = make();
    union.join({ sampling: true });
    const second = union.join({ sampling: true });
    expect(await settled(second.ready)).toBe(false);
    runs[0]?.end();
    expect(await settled(second.ready)).toBe(true);
    expect(runs).toHaveLength(1);
  });

  it('when the last session with a capability ends, the upstreams are renewed without it, debounced', async () => {
    const { union, runs, clock } = make(1000);
    const a = union.join({ sampling: true });
    runs[0]?.end();
    await settled(a.ready);
    const b = union.join({ sampling: true });
    expect(await settled(b.ready)).toBe(true);
    // a still samples: nothing to shrink.
    b.leave();
    b.leave();
    expect(clock.pending()).toEqual([]);
    a.leave();
    clock.advance(999);
    expect(runs).toHaveLength(1);
    // A sampler came back within the delay: no renewal, none needed.
    const c = union.join({ sampling: true });
    expect(await settled(c.ready)).toBe(true);
    clock.advance(1);
    expect(runs).toHaveLength(1);
    c.leave();
    clock.advance(999);
    expect(runs).toHaveLength(1);
    clock.advance(1);
    expect(runs.map((run) => run.read)).toEqual([{ sampling: true }, {}]);
    expect(union.current()).toEqual({});
  });

  it('a session that brings a capability back cancels nothing it needs: it is renewed at once, the shrink with it', async () => {
    const { union, runs, clock } = make(1000);
    const a = union.join({ sampling: true });
    runs[0]?.end();
    await settled(a.ready);
    a.leave();
    const b = union.join({ roots: true });
    expect(runs[1]?.read).toEqual({ roots: true });
    runs[1]?.end();
    expect(await settled(b.ready)).toBe(true);
    // The pending shrink was folded into that renewal.
    expect(clock.pending()).toEqual([]);
  });

  it('after close(), nothing is renewed', async () => {
    const { union, runs, clock } = make(1000);
    const a = union.join({ sampling: true });
    runs[0]?.end();
    await settled(a.ready);
    union.close();
    a.leave();
    clock.advance(5000);
    expect(await settled(union.join({ roots: true }).ready)).toBe(true);
    expect(runs).toHaveLength(1);
  });

  it('a failed renewal is reported; the sessions waiting for it go on', async () => {
    const reported: unknown[] = [];
    const union = createAdvertisedUnion({
      readvertise: async () => {
        throw new Error('client closed');
      },
      clock: new ManualClock(),
      report: (error) => reported.push(error),
    });
    await union.join({ sampling: true }).ready;
    expect(reported).toEqual([new Error('client closed')]);
  });
});
