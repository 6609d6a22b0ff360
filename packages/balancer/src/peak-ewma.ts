import {
  type Balancer,
  type BalancerCandidate,
  type Clock,
  checkNumber,
  type Random,
  systemClock,
  systemRandom,
} from '@mcpmx/core';
import { pickOfTwo } from './power-of-two.js';

export interface PeakEwmaOptions {
  /** Decay time constant τ of the latency estimate. Default 10000 ms. */
  decayMs?: number;
  /** Latency assumed for an endpoint with no samples yet. Default 30 ms (Linkerd's). */
  defaultRttMs?: number;
  clock?: Clock;
  random?: Random;
}

/** The defaults of {@link PeakEwmaOptions} (frozen). */
export const DEFAULT_PEAK_EWMA = Object.freeze({ decayMs: 10_000, defaultRttMs: 30 } as const);

interface Estimate {
  cost: number;
  stamp: number;
}

/**
 * P2C over peak-EWMA load (Finagle, Linkerd, Tower). Each endpoint keeps a latency estimate
 * that jumps up to any slower sample at once (the peak) and otherwise decays toward new
 * samples with weight `exp(-Δt/τ)`, so uneven sampling is weighed by time. Load is
 * `estimate × (in flight + 1)`, in flight as each candidate says. Two distinct endpoints are drawn; the healthier wins, then the
 * lower load. A new endpoint starts at `defaultRttMs`, so it is probed rather than flooded.
 * An idle endpoint's estimate decays toward zero, so a once-slow endpoint is tried again.
 */
export function createP2cPeakEwma(options: PeakEwmaOptions = {}): Balancer & {
  /** The current load of an endpoint with `inFlight` requests, for tests and dashboards. */
  load(id: string, inFlight?: number): number;
} {
  const decayMs = checkNumber('decayMs', options.decayMs ?? DEFAULT_PEAK_EWMA.decayMs, {
    min: 0,
    exclusiveMin: true,
  });
  const defaultRttMs = checkNumber(
    'defaultRttMs',
    options.defaultRttMs ?? DEFAULT_PEAK_EWMA.defaultRttMs,
    { min: 0 },
  );
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const estimates = new Map<string, Estimate>();

  const estimate = (id: string): Estimate => {
    let found = estimates.get(id);
    if (!found) {
      found = { cost: defaultRttMs, stamp: clock.now() };
      estimates.set(id, found);
    }
    return found;
  };
  const observe = (entry: Estimate, rtt: number) => {
    const now = clock.now();
    const weight = Math.exp(-Math.max(0, now - entry.stamp) / decayMs);
    entry.cost = rtt > entry.cost ? rtt : entry.cost * weight + rtt * (1 - weight);
    entry.stamp = now;
  };
  const load = (id: string, inFlight = 0) => {
    const entry = estimate(id);
    // Decay toward zero for the time since the last sample (Finagle observes 0 on read).
    const weight = Math.exp(-Math.max(0, clock.now() - entry.stamp) / decayMs);
    return entry.cost * weight * (inFlight + 1);
  };

  return {
    name: 'p2c-peak-ewma',
    load,
    pick: <C extends BalancerCandidate>(candidates: readonly C[]) =>
      pickOfTwo(candidates, random, (candidate) => load(candidate.id, candidate.inFlight)),
    onEnd: (id, outcome) => observe(estimate(id), outcome.latencyMs),
    remove: (id) => {
      estimates.delete(id);
    },
  };
}
