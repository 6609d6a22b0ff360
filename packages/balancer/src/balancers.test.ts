import { type BalancerCandidate, createSeededRandom, systemClock } from '@mcpmx/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsistentHash } from './consistent-hash.js';
import { createLeastOutstanding } from './least-outstanding.js';
import { createP2cPeakEwma } from './peak-ewma.js';
import { createRandomBalancer } from './random-balancer.js';
import { createRoundRobin } from './round-robin.js';
import { createSmoothWeightedRoundRobin } from './smooth-weighted-round-robin.js';

const nodes = (...ids: string[]): BalancerCandidate[] => ids.map((id) => ({ id, status: 'up' }));
const countPicks = (pick: () => BalancerCandidate | undefined, n: number) => {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const id = pick()?.id ?? 'none';
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
};

describe('round-robin', () => {
  it('takes candidates in turn and skips down ones', () => {
    const balancer = createRoundRobin();
    const candidates: BalancerCandidate[] = [
      { id: 'a', status: 'up' },
      { id: 'b', status: 'down' },
      { id: 'c', status: 'up' },
    ];
    expect([1, 2, 3, 4].map(() => balancer.pick(candidates)?.id)).toEqual(['a', 'c', 'a', 'c']);
    expect(balancer.pick([])).toBeUndefined();
  });
});

describe('smooth weighted round-robin', () => {
  it('spreads nginx-style: weights 5,1,1 give a,a,b,a,c,a,a', () => {
    const balancer = createSmoothWeightedRoundRobin();
    const candidates = [
      { id: 'a', weight: 5 },
      { id: 'b', weight: 1 },
      { id: 'c', weight: 1 },
    ];
    expect(Array.from({ length: 7 }, () => balancer.pick(candidates)?.id)).toEqual([
      'a',
      'a',
      'b',
      'a',
      'c',
      'a',
      'a',
    ]);
  });

  it('property: honours any weights exactly over one full cycle', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }),
        (weights) => {
          const balancer = createSmoothWeightedRoundRobin();
          const candidates = weights.map((weight, i) => ({ id: `n${i}`, weight }));
          const total = weights.reduce((a, b) => a + b, 0);
          const counts = countPicks(() => balancer.pick(candidates), total * 3);
          for (const [i, weight] of weights.entries()) expect(counts[`n${i}`]).toBe(weight * 3);
        },
      ),
    );
  });
});

describe('random and least-outstanding', () => {
  it('random is uniform within tolerance for a seed', () => {
    const balancer = createRandomBalancer({ random: createSeededRandom(1) });
    const counts = countPicks(() => balancer.pick(nodes('a', 'b', 'c', 'd')), 40_000);
    for (const id of ['a', 'b', 'c', 'd']) expect(counts[id]).toBeGreaterThan(9500);
  });

  it('least-outstanding prefers the endpoint with fewer requests in flight', () => {
    const balancer = createLeastOutstanding({ random: createSeededRandom(2) });
    const busyA = [
      { id: 'a', inFlight: 5 },
      { id: 'b', inFlight: 0 },
    ];
    expect(countPicks(() => balancer.pick(busyA), 100)).toEqual({ b: 100 });
    const busyB = [
      { id: 'a', inFlight: 0 },
      { id: 'b', inFlight: 1 },
    ];
    expect(countPicks(() => balancer.pick(busyB), 100)).toEqual({ a: 100 });
  });
});

describe('P2C peak-EWMA', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('jumps to a slower sample at once and decays toward faster ones with exp(-Δt/τ)', () => {
    const balancer = createP2cPeakEwma({ clock: systemClock, decayMs: 1000, defaultRttMs: 30 });
    expect(balancer.load('a')).toBe(30);
    expect(balancer.load('a', 1)).toBe(60); // (in flight + 1) × cost
    balancer.onEnd('a', { latencyMs: 500, success: true });
    expect(balancer.load('a')).toBe(500); // the peak
    vi.advanceTimersByTime(1000);
    balancer.onEnd('a', { latencyMs: 100, success: true });
    expect(balancer.load('a')).toBeCloseTo(500 * Math.exp(-1) + 100 * (1 - Math.exp(-1)), 9);
    vi.advanceTimersByTime(2000); // idle: the estimate decays toward zero, so it gets probed
    expect(balancer.load('a')).toBeCloseTo(
      (500 * Math.exp(-1) + 100 * (1 - Math.exp(-1))) * Math.exp(-2),
      9,
    );
  });

  it('sends traffic away from a slow endpoint, and a new endpoint starts at the default RTT', () => {
    const balancer = createP2cPeakEwma({ clock: systemClock, random: createSeededRandom(3) });
    const sample = (id: string, latencyMs: number) => {
      vi.advanceTimersByTime(latencyMs);
      balancer.onEnd(id, { latencyMs, success: true });
    };
    sample('slow', 1000);
    for (let i = 0; i < 50; i++) {
      sample('fast', 10);
      vi.advanceTimersByTime(90);
    }
    expect(countPicks(() => balancer.pick(nodes('fast', 'slow')), 50)).toEqual({ fast: 50 });
    // A brand-new endpoint (30 ms default) beats the slow one but not the proven fast one.
    expect(balancer.pick(nodes('slow', 'new'))?.id).toBe('new');
    expect(balancer.pick(nodes('fast', 'new'))?.id).toBe('fast');
  });

  it('the healthier candidate wins before load is compared', () => {
    const balancer = createP2cPeakEwma({ clock: systemClock, random: createSeededRandom(4) });
    balancer.onEnd('degraded', { latencyMs: 1, success: true });
    const candidates: BalancerCandidate[] = [
      { id: 'degraded', status: 'degraded' },
      { id: 'up', status: 'up' },
    ];
    expect(countPicks(() => balancer.pick(candidates), 20)).toEqual({ up: 20 });
  });

  it('property: never picks a down candidate while another is available', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('up', 'down', 'degraded', 'unknown' as const), {
          minLength: 2,
          maxLength: 8,
        }),
        fc.integer(),
        (statuses, seed) => {
          fc.pre(statuses.some((status) => status !== 'down'));
          const candidates = statuses.map((status, i) => ({ id: `n${i}`, status }));
          for (const balancer of [
            createP2cPeakEwma({ random: createSeededRandom(seed) }),
            createLeastOutstanding({ random: createSeededRandom(seed) }),
            createRoundRobin(),
            createRandomBalancer({ random: createSeededRandom(seed) }),
            createSmoothWeightedRoundRobin(),
            createConsistentHash({ random: createSeededRandom(seed) }),
          ]) {
            for (let i = 0; i < 20; i++) {
              const picked = balancer.pick(candidates, { affinityKey: `k${i}` });
              expect(picked?.status).not.toBe('down');
            }
          }
        },
      ),
    );
  });
});

describe('consistent hashing', () => {
  it('sends a key to the same endpoint every time', () => {
    const balancer = createConsistentHash();
    const candidates = nodes('a', 'b', 'c');
    const first = balancer.pick(candidates, { affinityKey: 'session-42' })?.id;
    for (let i = 0; i < 10; i++) {
      expect(balancer.pick(candidates, { affinityKey: 'session-42' })?.id).toBe(first);
    }
  });

  it('property: adding one of N endpoints moves about 1/N of the keys, and only to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), (count) => {
        const before = nodes(...Array.from({ length: count }, (_, i) => `n${i}`));
        const after = [...before, { id: 'new', status: 'up' as const }];
        const balancer = createConsistentHash();
        const keys = Array.from({ length: 4000 }, (_, i) => `key-${i}`);
        const owners = keys.map((key) => balancer.pick(before, { affinityKey: key })?.id);
        let moved = 0;
        keys.forEach((key, i) => {
          const owner = balancer.pick(after, { affinityKey: key })?.id;
          if (owner !== owners[i]) {
            moved++;
            expect(owner).toBe('new');
          }
        });
        const expected = keys.length / (count + 1);
        expect(moved).toBeGreaterThan(expected * 0.6);
        expect(moved).toBeLessThan(expected * 1.4);
      }),
      { numRuns: 20 },
    );
  });

  it('moves a key only when its endpoint leaves', () => {
    const balancer = createConsistentHash();
    const all = nodes('a', 'b', 'c', 'd');
    const keys = Array.from({ length: 500 }, (_, i) => `k${i}`);
    const owners = keys.map((key) => balancer.pick(all, { affinityKey: key })?.id);
    const without = all.filter((node) => node.id !== 'b');
    keys.forEach((key, i) => {
      const owner = balancer.pick(without, { affinityKey: key })?.id;
      if (owners[i] !== 'b') expect(owner).toBe(owners[i]);
      else expect(owner).not.toBe('b');
    });
  });
});
