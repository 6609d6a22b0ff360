import type { ClientSnapshot, MultiServerClient } from '@mcpmx/client';
import {
  type Clock,
  checkNumber,
  createOneShotTimer,
  type Disposer,
  type Random,
  systemClock,
  systemRandom,
  type TimerHandle,
} from '@mcpmx/core';
import {
  type DashboardFailover,
  type DashboardFrame,
  type DashboardReplica,
  type DashboardSeries,
  type DashboardTotals,
  replicaHealth,
} from './dashboard-frame.js';
import { createRollingWindow } from './rolling-window.js';

/** What the feed reads: a MultiServerClient, or anything with its events and snapshot. */
export interface DashboardSource {
  on: MultiServerClient['on'];
  snapshot(): ClientSnapshot;
  /** The client's redactor: every text from upstream in a frame passes it. Default: none. */
  redact?(text: string): string;
}

export interface DashboardFeedOptions {
  source: DashboardSource;
  /** Push period, and the width of one interval of the series. Default 1000 ms. */
  intervalMs?: number;
  /** Intervals in the series. Default 60. */
  intervals?: number;
  /** Recent failovers kept. Default 20. */
  maxFailovers?: number;
  /** Latency samples kept per interval for p50/p99 (a uniform sample beyond). Default 512. */
  maxSamplesPerInterval?: number;
  /** A status, breaker or ejection change is pushed after this delay, coalescing bursts. Default 25 ms. */
  changeDelayMs?: number;
  clock?: Clock;
  random?: Random;
}

export const DEFAULT_FEED_OPTIONS = {
  intervalMs: 1000,
  intervals: 60,
  maxFailovers: 20,
  maxSamplesPerInterval: 512,
  changeDelayMs: 25,
} as const;

/** Strings from upstream (reasons, errors) are cut to this length. */
const MAX_TEXT = 300;

export interface DashboardFeed {
  /** The frame as of now. */
  frame(): DashboardFrame;
  /**
   * Frames every `intervalMs`, and soon after each status, breaker, ejection or failover
   * event. The push timer runs only while someone is subscribed.
   */
  subscribe(listener: (frame: DashboardFrame) => void): Disposer;
  /** Detaches from the source and stops every timer. Idempotent. */
  close(): void;
}

/**
 * Turns a client's events and snapshot into dashboard frames: replica status, breaker state
 * and ejections, request rate and p50/p99 latency per interval over a bounded rolling window,
 * the last failovers, and totals that keep failed calls (`call-end`) apart from failed
 * attempts that were retried (`retry`).
 */
export function createDashboardFeed(options: DashboardFeedOptions): DashboardFeed {
  const settings = { ...DEFAULT_FEED_OPTIONS, ...stripUndefined(options) };
  const intervalMs = checkNumber('intervalMs', settings.intervalMs, { min: 0, exclusiveMin: true });
  const intervals = checkNumber('intervals', settings.intervals, { min: 1, integer: true });
  const maxFailovers = checkNumber('maxFailovers', settings.maxFailovers, {
    min: 0,
    integer: true,
  });
  const maxSamples = checkNumber('maxSamplesPerInterval', settings.maxSamplesPerInterval, {
    min: 1,
    integer: true,
  });
  const changeDelayMs = checkNumber('changeDelayMs', settings.changeDelayMs, { min: 0 });
  const clock = options.clock ?? systemClock;
  const { source } = options;
  /** Text from upstream or config, as a frame shows it: redacted, then cut to MAX_TEXT. */
  const shown = (text: string) => cut(source.redact ? source.redact(text) : text);

  const rolling = createRollingWindow({
    intervalMs,
    intervals,
    maxSamplesPerInterval: maxSamples,
    random: options.random ?? systemRandom,
  });
  const failovers: DashboardFailover[] = [];
  /** Replica id → end of its ejection, on our clock. */
  const ejections = new Map<string, number>();
  const totals: DashboardTotals = {
    requests: 0,
    failedAttempts: 0,
    retriedAttempts: 0,
    calls: 0,
    failedCalls: 0,
    failovers: 0,
  };
  const listeners = new Set<(frame: DashboardFrame) => void>();
  let ticker: TimerHandle | undefined;
  const pushTimer = createOneShotTimer(clock);
  let closed = false;

  const push = () => {
    if (listeners.size === 0) return;
    const frame = build();
    for (const listener of [...listeners]) listener(frame);
  };
  const pushSoon = () => {
    if (pushTimer.pending || closed || listeners.size === 0) return;
    pushTimer.schedule(changeDelayMs, push);
  };

  const disposers: Disposer[] = [
    source.on('request-end', (event) => {
      const failed = event.outcome !== 'success';
      totals.requests++;
      if (failed) totals.failedAttempts++;
      rolling.record(clock.now(), event.durationMs, failed);
    }),
    source.on('retry', () => {
      totals.retriedAttempts++;
    }),
    source.on('call-end', (event) => {
      totals.calls++;
      if (event.outcome === 'error' || event.outcome === 'tool-error') totals.failedCalls++;
    }),
    source.on('failover', (event) => {
      totals.failovers++;
      if (maxFailovers === 0) return;
      failovers.unshift({
        at: clock.now(),
        server: event.server,
        from: event.from,
        to: event.to,
        method: event.method,
        ...(event.target === undefined ? {} : { target: event.target }),
      });
      failovers.length = Math.min(failovers.length, maxFailovers);
      pushSoon();
    }),
    source.on('ejection', (event) => {
      // `until` is on the client's clock; keep the duration, on ours.
      ejections.set(event.replica, clock.now() + Math.max(0, event.until - event.at));
      pushSoon();
    }),
    source.on('readmission', (event) => {
      ejections.delete(event.replica);
      pushSoon();
    }),
    source.on('replica-status', pushSoon),
    source.on('breaker-state', pushSoon),
    source.on('discovery-update', pushSoon),
  ];

  const build = (): DashboardFrame => {
    const now = clock.now();
    for (const [replica, until] of ejections) if (until <= now) ejections.delete(replica);
    const snapshot = source.snapshot();
    const servers = snapshot.servers.map((server) => {
      const replicas = server.replicas.map((replica): DashboardReplica => {
        const breaker = replica.breaker;
        const ejectedUntil = ejections.get(replica.id);
        return {
          id: replica.id,
          transport: shown(replica.transport),
          status: replica.status,
          statusReason: shown(replica.statusReason),
          breaker,
          ...(ejectedUntil === undefined ? {} : { ejectedUntil }),
          health: replicaHealth(replica.status, breaker, ejectedUntil !== undefined),
          inFlight: replica.inFlight,
          sessions: replica.sessions.open,
          successes: replica.stats.successes,
          errors: replica.stats.errors,
          ewmaLatencyMs: round(replica.stats.ewmaLatencyMs),
          ...(replica.lastError ? { lastError: shown(replica.lastError) } : {}),
        };
      });
      return {
        name: server.name,
        healthy: replicas.filter((replica) => replica.health === 'ok').length,
        replicas,
      };
    });
    return {
      type: 'frame',
      at: now,
      servers,
      series: series(now),
      failovers: [...failovers],
      totals: { ...totals },
    };
  };

  const series = (now: number): DashboardSeries => {
    const summaries = rolling.summaries(now);
    const perSecond = 1000 / intervalMs;
    return {
      intervalMs,
      end: Math.floor(now / intervalMs) * intervalMs,
      rate: summaries.map((summary) => summary.count * perSecond),
      errorRate: summaries.map((summary) => summary.errors * perSecond),
      p50: summaries.map((summary) => round(summary.p50)),
      p99: summaries.map((summary) => round(summary.p99)),
    };
  };

  return {
    frame: build,
    subscribe(listener) {
      if (closed) return () => undefined;
      listeners.add(listener);
      ticker ??= clock.setInterval(push, intervalMs).unref();
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        clock.clearInterval(ticker);
        pushTimer.cancel();
        ticker = undefined;
      };
    },
    close() {
      if (closed) return;
      closed = true;
      for (const dispose of disposers.splice(0)) dispose();
      listeners.clear();
      clock.clearInterval(ticker);
      pushTimer.cancel();
      ticker = undefined;
    },
  };
}

function cut(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

function round(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value * 10) / 10;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
