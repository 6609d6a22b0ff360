import { type EjectionEvent, systemClock } from '@mcpmx/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutlierDetector } from './outlier-detector.js';

const replicas = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}` }));

describe('createOutlierDetector', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('ejects after consecutive failures for base × times ejected, capped, and readmits', () => {
    const detector = createOutlierDetector({
      consecutiveFailures: 3,
      baseEjectionMs: 1000,
      maxEjectionMs: 2500,
      maxEjectionPercent: 100,
      intervalMs: 100,
      clock: systemClock,
    });
    const ejected: EjectionEvent[] = [];
    const readmitted: string[] = [];
    detector.on('ejected', (event) => ejected.push(event));
    detector.on('readmitted', (event) => readmitted.push(`${event.replica}@${event.at}`));
    detector.eligible(replicas(4));
    const failThrice = () => {
      for (let i = 0; i < 3; i++) detector.record('r0', false);
    };
    failThrice();
    expect(detector.isEjected('r0')).toBe(true);
    expect(detector.eligible(replicas(4)).map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    vi.advanceTimersByTime(1000);
    expect(detector.isEjected('r0')).toBe(false);
    expect(readmitted).toEqual(['r0@1000']);
    failThrice();
    vi.advanceTimersByTime(2000);
    failThrice();
    expect(ejected.map((e) => [e.reason, e.ejections, e.until])).toEqual([
      ['consecutive-failures', 1, 1000],
      ['consecutive-failures', 2, 3000],
      ['consecutive-failures', 3, 5500], // 3 × 1000 capped at 2500
    ]);
    detector.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('readmits at the exact end of the ejection, not at the next interval', () => {
    const detector = createOutlierDetector({
      consecutiveFailures: 1,
      baseEjectionMs: 1000,
      maxEjectionPercent: 100,
      panicThresholdPercent: 0,
      intervalMs: 10_000,
      clock: systemClock,
    });
    const readmitted: string[] = [];
    detector.on('readmitted', (event) => readmitted.push(`${event.replica}@${event.at}`));
    detector.eligible(replicas(3));
    vi.advanceTimersByTime(50);
    detector.record('r1', false);
    vi.advanceTimersByTime(999);
    expect(detector.eligible(replicas(3)).map((r) => r.id)).toEqual(['r0', 'r2']);
    expect(readmitted).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(detector.eligible(replicas(3)).map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
    expect(readmitted).toEqual(['r1@1050']);
    vi.advanceTimersByTime(10_000);
    expect(readmitted).toEqual(['r1@1050']); // once only
    detector.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reset ends an ejection now and forgets the failures and the ejection count', () => {
    const detector = createOutlierDetector({
      consecutiveFailures: 2,
      baseEjectionMs: 1000,
      maxEjectionPercent: 100,
      panicThresholdPercent: 0,
      clock: systemClock,
    });
    const ejected: number[] = [];
    const readmitted: string[] = [];
    detector.on('ejected', (event) => ejected.push(event.ejections));
    detector.on('readmitted', (event) => readmitted.push(`${event.replica}@${event.at}`));
    detector.eligible(replicas(2));
    detector.record('r0', false);
    detector.record('r0', false);
    expect(detector.isEjected('r0')).toBe(true);
    vi.advanceTimersByTime(200);
    detector.reset?.('r0');
    expect(detector.isEjected('r0')).toBe(false);
    expect(readmitted).toEqual(['r0@200']);
    detector.record('r0', false); // one failure after the reset: the count started again
    expect(detector.isEjected('r0')).toBe(false);
    detector.record('r0', false);
    expect(ejected).toEqual([1, 1]); // the first ejection of a new peer, not the second
    detector.reset?.('r1'); // never ejected: no event
    detector.reset?.('unknown');
    vi.advanceTimersByTime(1000);
    expect(detector.isEjected('r0')).toBe(false);
    expect(readmitted).toEqual(['r0@200', 'r0@1200']);
    detector.close();
  });

  it('never ejects more than maxEjectionPercent, but always at least one', () => {
    const detector = createOutlierDetector({
      consecutiveFailures: 1,
      maxEjectionPercent: 10,
      clock: systemClock,
    });
    detector.eligible(replicas(5));
    for (const id of ['r0', 'r1', 'r2']) detector.record(id, false);
    expect(['r0', 'r1', 'r2'].filter((id) => detector.isEjected(id))).toEqual(['r0']);
    detector.close();
  });

  it('ejects a replica whose success rate is below mean − k·stdev at the interval', () => {
    const detector = createOutlierDetector({
      consecutiveFailures: 0,
      intervalMs: 10_000,
      successRateMinimumHosts: 5,
      successRateRequestVolume: 100,
      maxEjectionPercent: 50,
      clock: systemClock,
    });
    const ejected: EjectionEvent[] = [];
    detector.on('ejected', (event) => ejected.push(event));
    for (let host = 0; host < 6; host++) {
      for (let i = 0; i < 100; i++)
        detector.record(`r${host}`, host === 5 ? i % 2 === 0 : i % 50 !== 0);
    }
    vi.advanceTimersByTime(9999);
    expect(ejected).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ejected.map((e) => [e.replica, e.reason])).toEqual([['r5', 'success-rate']]);
    detector.close();
  });

  it('does not judge success rates below the minimum hosts or volume', () => {
    const detector = createOutlierDetector({
      consecutiveFailures: 0,
      intervalMs: 100,
      clock: systemClock,
    });
    for (let host = 0; host < 4; host++) {
      for (let i = 0; i < 100; i++) detector.record(`r${host}`, host !== 3);
    }
    vi.advanceTimersByTime(100);
    expect(detector.isEjected('r3')).toBe(false);
    detector.close();
  });

  it('property: eligible() never returns an ejected replica unless in panic, then returns all', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.nat(11), fc.boolean()), { maxLength: 60 }),
        (count, outcomes) => {
          const detector = createOutlierDetector({
            consecutiveFailures: 2,
            maxEjectionPercent: 100,
            panicThresholdPercent: 50,
            clock: systemClock,
          });
          const candidates = replicas(count);
          detector.eligible(candidates);
          for (const [index, success] of outcomes) detector.record(`r${index % count}`, success);
          const eligible = detector.eligible(candidates);
          const healthy = candidates.filter((c) => !detector.isEjected(c.id));
          if ((healthy.length / count) * 100 < 50) expect(eligible).toEqual(candidates);
          else expect(eligible).toEqual(healthy);
          detector.close();
        },
      ),
    );
  });
});
