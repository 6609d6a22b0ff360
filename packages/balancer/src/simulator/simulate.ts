import { type Balancer, type Clock, createSeededRandom, quantile, type Random } from '@mcpmx/core';
import { exponential, logNormal } from './distributions.js';
import { EventQueue } from './event-queue.js';

/** The "Beyond Round Robin" scenario (Buoyant, 2016), with its defaults. */
export interface Scenario {
  backends: number;
  medianMs: number;
  /** Log-normal shape of each backend's latency. */
  sigma: number;
  requestsPerSecond: number;
  durationMs: number;
  /** The client gives up after this long; slower answers count as failures. */
  timeoutMs: number;
  /** One backend's latency is multiplied by `factor` from `fromMs` to `toMs`; omit for all-healthy. */
  degraded?: { backend: number; factor: number; fromMs: number; toMs: number };
  seed: number;
}

export const BEYOND_ROUND_ROBIN: Scenario = {
  backends: 11,
  medianMs: 167,
  sigma: 0.3,
  requestsPerSecond: 1000,
  durationMs: 60_000,
  timeoutMs: 1000,
  degraded: { backend: 0, factor: 10, fromMs: 15_000, toMs: 45_000 },
  seed: 2016,
};

export interface SimulationResult {
  strategy: string;
  requests: number;
  p50: number;
  p99: number;
  p999: number;
  /** Share of requests answered within the timeout. */
  successRate: number;
  /** Share of requests sent to the degraded backend while it was degraded. */
  sentToDegraded: number;
}

/**
 * A deterministic discrete-event simulation: open-loop Poisson arrivals, each sent where the
 * balancer picks, completing after a log-normal latency (or at the timeout). The balancer sees
 * simulated time through its Clock and reads each backend's in-flight count and learns from onEnd exactly as in production.
 */
export function simulate(
  scenario: Scenario,
  createBalancer: (clock: Clock, random: Random) => Balancer,
): SimulationResult {
  let now = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: () => {
      throw new Error('the simulator clock has no timers');
    },
    clearTimeout: () => undefined,
    setInterval: () => {
      throw new Error('the simulator clock has no timers');
    },
    clearInterval: () => undefined,
  };
  const arrivals = createSeededRandom(scenario.seed);
  const latencies = createSeededRandom(scenario.seed + 1);
  const balancer = createBalancer(clock, createSeededRandom(scenario.seed + 2));
  // The simulator owns each backend's in-flight count, as the client's concurrency limit does.
  const candidates = Array.from({ length: scenario.backends }, (_, i) => ({
    id: `backend-${i}`,
    status: 'up' as const,
    inFlight: 0,
  }));
  const byId = new Map(candidates.map((candidate) => [candidate.id, candidate]));
  const completions = new EventQueue<{ id: string; latencyMs: number }>();
  const observed: number[] = [];
  let succeeded = 0;
  let duringDegradation = 0;
  let sentToDegraded = 0;
  const rate = scenario.requestsPerSecond / 1000;
  const degraded = scenario.degraded;

  const drainUntil = (time: number) => {
    for (
      let next = completions.peekTime();
      next !== undefined && next <= time;
      next = completions.peekTime()
    ) {
      const event = completions.pop();
      if (!event) break;
      now = event.at;
      const done = byId.get(event.value.id);
      if (done) done.inFlight--;
      balancer.onEnd(event.value.id, {
        latencyMs: event.value.latencyMs,
        success: event.value.latencyMs < scenario.timeoutMs,
      });
    }
  };

  for (
    let t = exponential(arrivals, rate);
    t < scenario.durationMs;
    t += exponential(arrivals, rate)
  ) {
    drainUntil(t);
    now = t;
    const choice = balancer.pick(candidates);
    if (!choice) throw new Error(`${balancer.name} picked nothing`);
    const index = candidates.indexOf(choice);
    let latency = logNormal(latencies, scenario.medianMs, scenario.sigma);
    const isDegraded = degraded !== undefined && t >= degraded.fromMs && t < degraded.toMs;
    if (isDegraded) {
      duringDegradation++;
      if (index === degraded.backend) {
        sentToDegraded++;
        latency *= degraded.factor;
      }
    }
    const seen = Math.min(latency, scenario.timeoutMs);
    if (latency < scenario.timeoutMs) succeeded++;
    observed.push(seen);
    choice.inFlight++;
    completions.push(t + seen, { id: choice.id, latencyMs: seen });
  }
  drainUntil(Number.POSITIVE_INFINITY);

  observed.sort((a, b) => a - b);
  return {
    strategy: balancer.name,
    requests: observed.length,
    p50: quantile(observed, 0.5),
    p99: quantile(observed, 0.99),
    p999: quantile(observed, 0.999),
    successRate: succeeded / observed.length,
    sentToDegraded: duringDegradation === 0 ? 0 : sentToDegraded / duringDegradation,
  };
}
