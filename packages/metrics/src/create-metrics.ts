import {
  type BreakerState,
  checkNumber,
  type Disposer,
  type EventSource,
  InvalidOptionError,
  type ReplicaStatus,
  type TelemetryEvents,
  type TelemetrySnapshot,
} from '@mcpmx/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createLabelGuard } from './label-guard.js';

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /** The client's telemetry events. */
  events: EventSource<TelemetryEvents>;
  /** Registry to register into. Default: a new one. */
  registry?: Registry;
  /** Metric name prefix. Default `'mcpmx_'`. */
  prefix?: string;
  /** Add a `tool` label (tool/resource/prompt name) to request metrics. Default `false`. */
  toolLabels?: boolean;
  /** Distinct values per label before new ones fold into `"other"`. Default 100. */
  maxLabelValues?: number;
  /** Read at scrape time for `pool_sessions` (and `replicas` when given). */
  snapshot?: () => TelemetrySnapshot;
  /** Histogram buckets in seconds. Default: prom-client's defaults. */
  buckets?: number[];
}

/** What {@link createMetrics} returns. */
export interface Metrics {
  readonly registry: Registry;
  /** The Prometheus text exposition of the registry. */
  metrics(): Promise<string>;
  /** Detaches every listener and removes this instance's metrics from the registry. Idempotent. */
  close(): void;
}

/** Gauge value per breaker state. */
const BREAKER_STATE_VALUES: Record<BreakerState, number> = {
  closed: 0,
  'half-open': 1,
  open: 2,
  isolated: 3,
};

const REPLICA_STATUSES: readonly ReplicaStatus[] = [
  'unknown',
  'connecting',
  'up',
  'degraded',
  'down',
];
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Subscribes prom-client metrics to telemetry events. Nothing needs to import this to work. */
export function createMetrics(options: MetricsOptions): Metrics {
  if (typeof options?.events?.on !== 'function') {
    throw new InvalidOptionError('events', 'an EventSource<TelemetryEvents>', options?.events);
  }
  const prefix = options.prefix ?? 'mcpmx_';
  if (prefix !== '' && !NAME.test(prefix)) {
    throw new InvalidOptionError(
      'prefix',
      'a Prometheus name prefix matching [a-zA-Z_:][a-zA-Z0-9_:]*',
      prefix,
    );
  }
  const maxLabelValues = checkNumber('maxLabelValues', options.maxLabelValues ?? 100, {
    integer: true,
    min: 1,
  });
  const toolLabels = options.toolLabels ?? false;
  if (typeof toolLabels !== 'boolean') {
    throw new InvalidOptionError('toolLabels', 'a boolean', toolLabels);
  }
  if (options.snapshot !== undefined && typeof options.snapshot !== 'function') {
    throw new InvalidOptionError(
      'snapshot',
      'a function () => TelemetrySnapshot',
      options.snapshot,
    );
  }
  const buckets = options.buckets === undefined ? undefined : checkBuckets(options.buckets);
  const registry = options.registry ?? new Registry();
  if (typeof registry?.getSingleMetric !== 'function') {
    throw new InvalidOptionError('registry', 'a prom-client Registry', registry);
  }
  const guards = new Map<string, (value: string) => string>();
  const label = (name: string, value: string | undefined) => {
    let guard = guards.get(name);
    if (!guard) {
      guard = createLabelGuard(maxLabelValues);
      guards.set(name, guard);
    }
    return guard(value ?? '');
  };
  const requestLabels = toolLabels
    ? ['server', 'replica', 'method', 'outcome', 'tool']
    : ['server', 'replica', 'method', 'outcome'];
  const registers = [registry];
  const names = [
    'requests_total',
    'request_duration_seconds',
    'retries_total',
    'failovers_total',
    'breaker_state',
    'ejections_total',
    'pool_sessions',
    'replicas',
    'cache_hits_total',
    'cache_misses_total',
    'discovery_updates_total',
    'unexpected_responses_total',
  ].map((name) => `${prefix}${name}`);
  const taken = names.find((name) => registry.getSingleMetric(name) !== undefined);
  if (taken !== undefined) {
    throw new InvalidOptionError(
      'prefix',
      `a prefix whose metrics this registry does not hold yet (${taken} is registered: close() the other Metrics, or pass another prefix or registry)`,
      prefix,
    );
  }

  const requests = new Counter({
    name: `${prefix}requests_total`,
    help: 'Requests routed to a replica, by outcome.',
    labelNames: requestLabels,
    registers,
  });
  const duration = new Histogram({
    name: `${prefix}request_duration_seconds`,
    help: 'Request duration in seconds.',
    labelNames: toolLabels
      ? ['server', 'method', 'outcome', 'tool']
      : ['server', 'method', 'outcome'],
    ...(buckets ? { buckets } : {}),
    registers,
  });
  const retries = new Counter({
    name: `${prefix}retries_total`,
    help: 'Calls tried again after an error.',
    labelNames: ['server', 'method'],
    registers,
  });
  const failovers = new Counter({
    name: `${prefix}failovers_total`,
    help: 'Calls moved from one replica to another.',
    labelNames: ['server', 'method'],
    registers,
  });
  const breakerState = new Gauge({
    name: `${prefix}breaker_state`,
    help: 'Circuit breaker state per replica: 0 closed, 1 half-open, 2 open, 3 isolated.',
    labelNames: ['server', 'replica'],
    registers,
  });
  const ejections = new Counter({
    name: `${prefix}ejections_total`,
    help: 'Outlier ejections of a replica.',
    labelNames: ['server', 'replica'],
    registers,
  });
  const replicaStatus = new Map<string, ReplicaStatus>();
  const snapshot = options.snapshot;
  const poolSessions = new Gauge({
    name: `${prefix}pool_sessions`,
    help: 'Pooled sessions by state (read from the snapshot at scrape time).',
    labelNames: ['state'],
    registers,
    collect() {
      if (!snapshot) return;
      let open = 0;
      let connecting = 0;
      for (const replica of snapshot().replicas) {
        open += replica.sessions.open;
        connecting += replica.sessions.connecting;
      }
      this.set({ state: 'open' }, open);
      this.set({ state: 'connecting' }, connecting);
    },
  });
  const replicas = new Gauge({
    name: `${prefix}replicas`,
    help: 'Replicas by status.',
    labelNames: ['status'],
    registers,
    collect() {
      const counts = new Map<ReplicaStatus, number>(REPLICA_STATUSES.map((status) => [status, 0]));
      const statuses = snapshot
        ? snapshot().replicas.map((replica) => replica.status)
        : [...replicaStatus.values()];
      for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
      for (const [status, count] of counts) this.set({ status }, count);
    },
  });
  const cacheHits = new Counter({
    name: `${prefix}cache_hits_total`,
    help: 'Result cache hits.',
    labelNames: ['server'],
    registers,
  });
  const cacheMisses = new Counter({
    name: `${prefix}cache_misses_total`,
    help: 'Result cache misses.',
    labelNames: ['server'],
    registers,
  });
  const discoveryUpdates = new Counter({
    name: `${prefix}discovery_updates_total`,
    help: 'Discovery updates received, by source.',
    labelNames: ['source'],
    registers,
  });

  const unexpectedResponses = new Counter({
    name: `${prefix}unexpected_responses_total`,
    help: 'Responses a replica sent for no pending request (unknown, late or repeated id), dropped.',
    labelNames: ['server', 'replica'],
    registers,
  });

  const { events } = options;
  const disposers: Disposer[] = [
    events.on('request-end', (event) => {
      const labels: Record<string, string> = {
        server: label('server', event.server),
        replica: label('replica', event.replica),
        method: label('method', event.method),
        outcome: event.outcome,
      };
      if (toolLabels) labels.tool = label('tool', event.target);
      requests.inc(labels);
      // prom-client throws on a non-finite value, and a throwing listener would reach the
      // emitter's error report; a duration that is not a number is left out instead.
      if (!Number.isFinite(event.durationMs)) return;
      const { replica: _replica, ...durationLabels } = labels;
      duration.observe(durationLabels, event.durationMs / 1000);
    }),
    events.on('retry', (event) => {
      retries.inc({ server: label('server', event.server), method: label('method', event.method) });
    }),
    events.on('failover', (event) => {
      failovers.inc({
        server: label('server', event.server),
        method: label('method', event.method),
      });
    }),
    events.on('breaker-state', (event) => {
      breakerState.set(
        { server: label('server', event.server), replica: label('replica', event.replica) },
        BREAKER_STATE_VALUES[event.to],
      );
    }),
    events.on('ejection', (event) => {
      ejections.inc({
        server: label('server', event.server),
        replica: label('replica', event.replica),
      });
    }),
    events.on('replica-status', (event) => {
      replicaStatus.set(JSON.stringify([event.server, event.replica]), event.to);
    }),
    events.on('cache', (event) => {
      (event.hit ? cacheHits : cacheMisses).inc({ server: label('server', event.server) });
    }),
    events.on('discovery-update', (event) => {
      discoveryUpdates.inc({ source: label('source', event.source) });
    }),
    events.on('unexpected-response', (event) => {
      unexpectedResponses.inc({
        server: label('server', event.server),
        replica: label('replica', event.replica),
      });
    }),
  ];

  let closed = false;
  return {
    registry,
    metrics: () => registry.metrics(),
    close() {
      if (closed) return;
      closed = true;
      for (const dispose of disposers) dispose();
      replicaStatus.clear();
      for (const metric of [poolSessions, replicas]) metric.reset();
      for (const name of names) registry.removeSingleMetric(name);
    },
  };
}

/** Histogram buckets: a non-empty list of finite numbers, each larger than the one before. */
function checkBuckets(buckets: unknown): number[] {
  const valid =
    Array.isArray(buckets) &&
    buckets.length > 0 &&
    buckets.every(
      (bound, index) =>
        typeof bound === 'number' &&
        Number.isFinite(bound) &&
        (index === 0 || bound > (buckets[index - 1] as number)),
    );
  if (!valid) {
    throw new InvalidOptionError(
      'buckets',
      'a non-empty array of finite numbers in increasing order (seconds)',
      buckets,
    );
  }
  return [...(buckets as number[])];
}
