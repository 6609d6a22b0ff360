import { createSeededRandom, type Random } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { orderSrvRecords, type SrvRecord } from './srv-order.js';

function record(name: string, priority: number, weight: number): SrvRecord {
  return { name, port: 8000, priority, weight };
}

/** Seeded generator of random record sets: a property test without a property library. */
function randomRecords(random: Random): SrvRecord[] {
  const count = 1 + Math.floor(random.next() * 8);
  return Array.from({ length: count }, (_unused, index) =>
    record(`r${index}`, Math.floor(random.next() * 3), Math.floor(random.next() * 4) * 10),
  );
}

describe('orderSrvRecords (RFC 2782)', () => {
  it('keeps every record exactly once and puts lower priorities first (500 seeded cases)', () => {
    const random = createSeededRandom(42);
    for (let run = 0; run < 500; run += 1) {
      const records = randomRecords(random);
      const ordered = orderSrvRecords(records, random);
      expect([...ordered].map((item) => item.name).sort()).toEqual(
        records.map((item) => item.name).sort(),
      );
      for (let index = 1; index < ordered.length; index += 1) {
        expect(ordered[index]?.priority).toBeGreaterThanOrEqual(ordered[index - 1]?.priority ?? 0);
      }
    }
  });

  it('is deterministic for a seed and does not mutate its input', () => {
    const records = [record('a', 1, 10), record('b', 1, 20), record('c', 0, 5)];
    const copy = structuredClone(records);
    const first = orderSrvRecords(records, createSeededRandom(7)).map((item) => item.name);
    const second = orderSrvRecords(records, createSeededRandom(7)).map((item) => item.name);
    expect(first).toEqual(second);
    expect(first[0]).toBe('c');
    expect(records).toEqual(copy);
  });

  it('picks first within a priority in proportion to weight', () => {
    const random = createSeededRandom(1);
    const records = [record('light', 0, 10), record('heavy', 0, 30)];
    let heavyFirst = 0;
    const runs = 20_000;
    for (let run = 0; run < runs; run += 1) {
      if (orderSrvRecords(records, random)[0]?.name === 'heavy') heavyFirst += 1;
    }
    // Expected about 30/41 (r is drawn from the 41 integers 0..40): 0.73.
    expect(heavyFirst / runs).toBeGreaterThan(0.7);
    expect(heavyFirst / runs).toBeLessThan(0.77);
  });

  it('gives weight-0 records a small chance, and an even chance when all weights are 0', () => {
    const random = createSeededRandom(3);
    let zeroFirst = 0;
    let allZeroFirst = 0;
    const runs = 20_000;
    for (let run = 0; run < runs; run += 1) {
      const mixed = orderSrvRecords([record('weighted', 0, 100), record('zero', 0, 0)], random);
      if (mixed[0]?.name === 'zero') zeroFirst += 1;
      const zeros = orderSrvRecords([record('x', 0, 0), record('y', 0, 0)], random);
      if (zeros[0]?.name === 'x') allZeroFirst += 1;
    }
    // r = 0 has probability 1/101, and only then does the weight-0 record (listed first) win.
    expect(zeroFirst).toBeGreaterThan(0);
    expect(zeroFirst / runs).toBeLessThan(0.02);
    // All zero: total 0, r = 0, the first listed always wins; order stays as given.
    expect(allZeroFirst).toBe(runs);
  });
});
