import {
  type Clock,
  checkNumber,
  createEmitter,
  type EjectionEvent,
  type OutlierDetector,
  systemClock,
  type TimerHandle,
} from '@mcpmx/core';

/** Envoy's outlier detection, with Envoy's defaults. */
export interface OutlierDetectionOptions {
  /** Failures in a row that eject a replica. Default 5; 0 disables. */
  consecutiveFailures?: number;
  /** How often success rates are evaluated and expired ejections end. Default 10000 ms. */
  intervalMs?: number;
  /** Ejection time = base × times ejected, capped. Default 30000 ms. */
  baseEjectionMs?: number;
  /** Cap on one ejection. Default 300000 ms. */
  maxEjectionMs?: number;
  /** At most this share of replicas ejected at once (at least one may always be). Default 10. */
  maxEjectionPercent?: number;
  /** Success-rate ejection needs this many replicas with enough volume. Default 5. */
  successRateMinimumHosts?: number;
  /** ...and this many requests per replica in the interval. Default 100. */
  successRateRequestVolume?: number;
  /** Eject below mean − factor × stdev of the success rates. Default 1.9. */
  successRateStdevFactor?: number;
  /** Below this share of healthy replicas, balance across all of them. Default 50. */
  panicThresholdPercent?: number;
  clock?: Clock;
}

/** Envoy's defaults for {@link OutlierDetectionOptions} (frozen). */
export const DEFAULT_OUTLIER_DETECTION = Object.freeze({
  consecutiveFailures: 5,
  intervalMs: 10_000,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  maxEjectionPercent: 10,
  successRateMinimumHosts: 5,
  successRateRequestVolume: 100,
  successRateStdevFactor: 1.9,
  panicThresholdPercent: 50,
} as const);

interface HostState {
  consecutiveFailures: number;
  successes: number;
  requests: number;
  ejections: number;
  ejectedUntil: number | undefined;
}

const freshHost = (): HostState => ({
  consecutiveFailures: 0,
  successes: 0,
  requests: 0,
  ejections: 0,
  ejectedUntil: undefined,
});

/**
 * Ejects sick replicas from a set (Envoy outlier detection): on consecutive failures at once,
 * and, every interval, those whose success rate is below mean − k·stdev of the set. An ejection
 * lasts base × times ejected (capped); at most `maxEjectionPercent` of the set is ejected at a
 * time; and when fewer than `panicThresholdPercent` are healthy, `eligible()` returns every
 * candidate (panic mode), as Envoy does.
 */
export function createOutlierDetector(options: OutlierDetectionOptions = {}): OutlierDetector {
  const settings = { ...DEFAULT_OUTLIER_DETECTION, ...options };
  checkNumber('consecutiveFailures', settings.consecutiveFailures, { min: 0, integer: true });
  checkNumber('intervalMs', settings.intervalMs, { min: 0, exclusiveMin: true });
  checkNumber('baseEjectionMs', settings.baseEjectionMs, { min: 0, exclusiveMin: true });
  checkNumber('maxEjectionMs', settings.maxEjectionMs, { min: settings.baseEjectionMs });
  checkNumber('maxEjectionPercent', settings.maxEjectionPercent, { min: 0, max: 100 });
  checkNumber('successRateMinimumHosts', settings.successRateMinimumHosts, {
    min: 1,
    integer: true,
  });
  checkNumber('successRateRequestVolume', settings.successRateRequestVolume, {
    min: 1,
    integer: true,
  });
  checkNumber('successRateStdevFactor', settings.successRateStdevFactor, { min: 0 });
  checkNumber('panicThresholdPercent', settings.panicThresholdPercent, { min: 0, max: 100 });
  const clock = options.clock ?? systemClock;
  const hosts = new Map<string, HostState>();
  /** Hosts with an ejection not yet ended; while there are none, no look needs the clock. */
  let ejectedHosts = 0;
  const events = createEmitter<{
    ejected: EjectionEvent;
    readmitted: { replica: string; at: number };
  }>();

  const host = (id: string): HostState => {
    let state = hosts.get(id);
    if (!state) {
      state = freshHost();
      hosts.set(id, state);
    }
    return state;
  };
  const ejectedNow = (state: HostState) =>
    state.ejectedUntil !== undefined && clock.now() < state.ejectedUntil;
  const ejectedCount = () => [...hosts.values()].filter(ejectedNow).length;
  const mayEject = () =>
    ejectedCount() < Math.max(1, Math.floor((hosts.size * settings.maxEjectionPercent) / 100));

  const eject = (id: string, state: HostState, reason: EjectionEvent['reason']) => {
    if (ejectedNow(state) || !mayEject()) return;
    state.ejections++;
    const duration = Math.min(settings.maxEjectionMs, settings.baseEjectionMs * state.ejections);
    if (state.ejectedUntil === undefined) ejectedHosts++;
    state.ejectedUntil = clock.now() + duration;
    state.consecutiveFailures = 0;
    events.emit('ejected', {
      replica: id,
      reason,
      ejections: state.ejections,
      until: state.ejectedUntil,
    });
  };

  /**
   * Ends ejections whose time is up. Runs on every interval and before every read or record,
   * so 'readmitted' is emitted no later than the first look after the ejection ends, and its
   * `at` is the exact end of the ejection, not the time it was noticed.
   */
  const readmitExpired = () => {
    if (ejectedHosts === 0) return; // the common case, on every call: nothing to readmit
    const now = clock.now();
    for (const [id, state] of hosts) {
      if (state.ejectedUntil !== undefined && now >= state.ejectedUntil) {
        const at = state.ejectedUntil;
        state.ejectedUntil = undefined;
        ejectedHosts--;
        events.emit('readmitted', { replica: id, at });
      }
    }
  };

  const evaluateSuccessRates = () => {
    const sampled = [...hosts].filter(
      ([, state]) => !ejectedNow(state) && state.requests >= settings.successRateRequestVolume,
    );
    if (sampled.length >= settings.successRateMinimumHosts) {
      const rates = sampled.map(([, state]) => state.successes / state.requests);
      const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
      const stdev = Math.sqrt(
        rates.reduce((sum, rate) => sum + (rate - mean) ** 2, 0) / rates.length,
      );
      const cutoff = mean - settings.successRateStdevFactor * stdev;
      const outliers = sampled
        .map(([id, state], i) => ({ id, state, rate: rates[i] as number }))
        .filter((entry) => entry.rate < cutoff)
        .sort((a, b) => a.rate - b.rate);
      for (const entry of outliers) eject(entry.id, entry.state, 'success-rate');
    }
    for (const state of hosts.values()) {
      state.successes = 0;
      state.requests = 0;
    }
  };

  const timer: TimerHandle = clock.setInterval(() => {
    readmitExpired();
    evaluateSuccessRates();
  }, settings.intervalMs);
  timer.unref();

  return {
    record: (id, success) => {
      readmitExpired();
      const state = host(id);
      state.requests++;
      if (success) {
        state.successes++;
        state.consecutiveFailures = 0;
        return;
      }
      state.consecutiveFailures++;
      if (
        settings.consecutiveFailures > 0 &&
        state.consecutiveFailures >= settings.consecutiveFailures
      ) {
        eject(id, state, 'consecutive-failures');
      }
    },
    isEjected: (id) => {
      readmitExpired();
      const state = hosts.get(id);
      return state !== undefined && ejectedNow(state);
    },
    eligible: (candidates) => {
      readmitExpired();
      for (const candidate of candidates) host(candidate.id);
      const healthy = candidates.filter((candidate) => !ejectedNow(host(candidate.id)));
      if (candidates.length === 0) return [];
      const healthyPercent = (healthy.length / candidates.length) * 100;
      return healthyPercent < settings.panicThresholdPercent ? [...candidates] : healthy;
    },
    reset: (id) => {
      readmitExpired();
      const state = hosts.get(id);
      if (!state) return;
      hosts.set(id, freshHost());
      if (state.ejectedUntil === undefined) return;
      ejectedHosts--;
      events.emit('readmitted', { replica: id, at: clock.now() });
    },
    remove: (id) => {
      if (hosts.get(id)?.ejectedUntil !== undefined) ejectedHosts--;
      hosts.delete(id);
    },
    on: events.on as OutlierDetector['on'],
    close: () => {
      clock.clearInterval(timer);
      events.removeAllListeners();
    },
  };
}
