import type { Clock, Random } from '@mcpmx/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createP2cPeakEwma } from '../peak-ewma.js';
import { createRoundRobin } from '../round-robin.js';
import { EventQueue } from './event-queue.js';
import { BEYOND_ROUND_ROBIN, simulate } from './simulate.js';

describe('EventQueue', () => {
  it('property: pops in time order, ties in insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 })), (times) => {
        const queue = new EventQueue<number>();
        for (const [i, at] of times.entries()) queue.push(at, i);
        const popped: [number, number][] = [];
        for (let event = queue.pop(); event; event = queue.pop())
          popped.push([event.at, event.value]);
        const expected = times
          .map((at, i) => [at, i] as [number, number])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(popped).toEqual(expected);
      }),
    );
  });
});

describe('simulate (Beyond Round Robin)', () => {
  const ewma = (clock: Clock, random: Random) => createP2cPeakEwma({ clock, random });

  it('is deterministic for a seed', () => {
    const short = {
      ...BEYOND_ROUND_ROBIN,
      durationMs: 5000,
      degraded: { backend: 0, factor: 10, fromMs: 1000, toMs: 4000 },
    };
    expect(simulate(short, ewma)).toEqual(simulate(short, ewma));
    expect(simulate({ ...short, seed: 7 }, ewma)).not.toEqual(simulate(short, ewma));
  });

  it('P2C peak-EWMA keeps p99 within 1.5× of all-healthy; round-robin does not', () => {
    const healthyEwma = simulate({ ...BEYOND_ROUND_ROBIN, degraded: undefined }, ewma);
    const degradedEwma = simulate(BEYOND_ROUND_ROBIN, ewma);
    const healthyRr = simulate({ ...BEYOND_ROUND_ROBIN, degraded: undefined }, () =>
      createRoundRobin(),
    );
    const degradedRr = simulate(BEYOND_ROUND_ROBIN, () => createRoundRobin());
    expect(degradedEwma.p99 / healthyEwma.p99).toBeLessThan(1.5);
    expect(degradedRr.p99 / healthyRr.p99).toBeGreaterThan(1.5);
    expect(degradedEwma.successRate).toBeGreaterThan(degradedRr.successRate);
    // Round-robin sends the slow backend its full share; peak EWMA almost none.
    expect(degradedRr.sentToDegraded).toBeCloseTo(1 / 11, 2);
    expect(degradedEwma.sentToDegraded).toBeLessThan(0.02);
  });
});
