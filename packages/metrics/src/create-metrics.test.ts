import {
  createEmitter,
  InvalidOptionError,
  type TelemetryEvents,
  type TelemetrySnapshot,
} from '@mcpmx/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './create-metrics.js';

/** Parses the text exposition into `name{sorted labels}` -> value. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unparsable line: ${line}`);
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
      .map(([, name, value]) => `${name}=${value}`)
      .sort()
      .join(',');
    samples.set(`${match[1]}{${labels}}`, Number(match[3]));
  }
  return samples;
}

const at = 0;
const end = (
  server: string,
  outcome: 'success' | 'error',
  durationMs: number,
  target = 'echo',
) => ({
  server,
  replica: `${server}-1`,
  method: 'tools/call',
  target,
  at,
  outcome,
  durationMs,
});

describe('createMetrics', () => {
  it('counts every event kind in the text exposition', async () => {
    const events = createEmitter<TelemetryEvents>();
    const metrics = createMetrics({ events });
    events.emit('request-end', end('alpha', 'success', 20));
    events.emit('request-end', end('alpha', 'success', 300));
    events.emit('request-end', end('alpha', 'error', 2000));
    events.emit('retry', {
      server: 'alpha',
      method: 'tools/call',
      attempt: 1,
      error: new Error('x'),
      at,
    });
    events.emit('failover', { server: 'alpha', from: 'a1', to: 'a2', method: 'tools/call', at });
    events.emit('breaker-state', {
      server: 'alpha',
      replica: 'a1',
      from: 'closed',
      to: 'open',
      at,
    });
    events.emit('ejection', { server: 'alpha', replica: 'a1', reason: '5 failures', until: 1, at });
    events.emit('replica-status', {
      server: 'alpha',
      replica: 'a1',
      from: 'connecting',
      to: 'up',
      reason: 'ok',
      at,
    });
    events.emit('replica-status', {
      server: 'alpha',
      replica: 'a2',
      from: 'up',
      to: 'down',
      reason: 'gone',
      at,
    });
    events.emit('cache', { server: 'alpha', hit: true, at });
    events.emit('cache', { server: 'alpha', hit: false, at });
    events.emit('cache', { server: 'alpha', hit: false, at });
    events.emit('discovery-update', { source: 'dns', endpoints: 3, skipped: 0, at });
    events.emit('unexpected-response', { server: 'alpha', replica: 'a1', id: 'x', at });
    events.emit('unexpected-response', { server: 'alpha', replica: 'a1', id: null, at });

    const samples = parse(await metrics.metrics());
    const ok = 'method=tools/call,outcome=success,replica=alpha-1,server=alpha';
    expect(samples.get(`mcpmx_requests_total{${ok}}`)).toBe(2);
    expect(
      samples.get(
        'mcpmx_requests_total{method=tools/call,outcome=error,replica=alpha-1,server=alpha}',
      ),
    ).toBe(1);
    const histogram = 'method=tools/call,outcome=success,server=alpha';
    expect(samples.get(`mcpmx_request_duration_seconds_count{${histogram}}`)).toBe(2);
    expect(samples.get(`mcpmx_request_duration_seconds_sum{${histogram}}`)).toBeCloseTo(0.32);
    expect(samples.get(`mcpmx_request_duration_seconds_bucket{le=0.025,${histogram}}`)).toBe(1);
    expect(samples.get(`mcpmx_request_duration_seconds_bucket{le=0.5,${histogram}}`)).toBe(2);
    expect(samples.get('mcpmx_retries_total{method=tools/call,server=alpha}')).toBe(1);
    expect(samples.get('mcpmx_failovers_total{method=tools/call,server=alpha}')).toBe(1);
    expect(samples.get('mcpmx_breaker_state{replica=a1,server=alpha}')).toBe(2);
    expect(samples.get('mcpmx_ejections_total{replica=a1,server=alpha}')).toBe(1);
    expect(samples.get('mcpmx_replicas{status=up}')).toBe(1);
    expect(samples.get('mcpmx_replicas{status=down}')).toBe(1);
    expect(samples.get('mcpmx_cache_hits_total{server=alpha}')).toBe(1);
    expect(samples.get('mcpmx_cache_misses_total{server=alpha}')).toBe(2);
    expect(samples.get('mcpmx_discovery_updates_total{source=dns}')).toBe(1);
    expect(samples.get('mcpmx_unexpected_responses_total{replica=a1,server=alpha}')).toBe(2);
    metrics.close();
  });

  it('reads pool sessions and replica statuses from the snapshot at scrape time', async () => {
    const events = createEmitter<TelemetryEvents>();
    let open = 2;
    const snapshot = (): TelemetrySnapshot => ({
      replicas: [
        {
          server: 'a',
          replica: 'a1',
          status: 'up',
          breaker: 'closed',
          sessions: { open, connecting: 1 },
          inFlight: 0,
        },
        {
          server: 'a',
          replica: 'a2',
          status: 'degraded',
          breaker: 'closed',
          sessions: { open: 3, connecting: 0 },
          inFlight: 0,
        },
      ],
    });
    const metrics = createMetrics({ events, snapshot });
    let samples = parse(await metrics.metrics());
    expect(samples.get('mcpmx_pool_sessions{state=open}')).toBe(5);
    expect(samples.get('mcpmx_pool_sessions{state=connecting}')).toBe(1);
    expect(samples.get('mcpmx_replicas{status=degraded}')).toBe(1);
    open = 0;
    samples = parse(await metrics.metrics());
    expect(samples.get('mcpmx_pool_sessions{state=open}')).toBe(3);
    metrics.close();
  });

  it('folds label values beyond maxLabelValues into "other"', async () => {
    const events = createEmitter<TelemetryEvents>();
    const metrics = createMetrics({ events, maxLabelValues: 2, toolLabels: true });
    for (const tool of ['t1', 't2', 't3', 't4'])
      events.emit('request-end', end('s', 'success', 1, tool));
    events.emit('request-end', end('s', 'success', 1, 't1'));
    const text = await metrics.metrics();
    const samples = parse(text);
    const base = 'method=tools/call,outcome=success,replica=s-1,server=s';
    expect(samples.get(`mcpmx_requests_total{${base},tool=t1}`)).toBe(2);
    expect(samples.get(`mcpmx_requests_total{${base},tool=t2}`)).toBe(1);
    expect(samples.get(`mcpmx_requests_total{${base},tool=other}`)).toBe(2);
    expect(text).not.toContain('tool="t3"');
    metrics.close();
  });

  it('has no tool label unless toolLabels is true', async () => {
    const events = createEmitter<TelemetryEvents>();
    const metrics = createMetrics({ events });
    events.emit('request-end', end('s', 'success', 1, 'secret-tool'));
    expect(await metrics.metrics()).not.toContain('secret-tool');
    metrics.close();
  });

  it('close() detaches every listener and unregisters, and is idempotent', async () => {
    const events = createEmitter<TelemetryEvents>();
    const registry = new Registry();
    const metrics = createMetrics({ events, registry, prefix: 'app_' });
    expect(events.listenerCount()).toBeGreaterThan(0);
    expect(metrics.registry).toBe(registry);
    expect(await registry.metrics()).toContain('app_requests_total');
    metrics.close();
    metrics.close();
    expect(events.listenerCount()).toBe(0);
    expect(await registry.metrics()).not.toContain('app_requests_total');
    // A second instance can register the same names again after close.
    const again = createMetrics({ events, registry, prefix: 'app_' });
    again.close();
    expect(events.listenerCount()).toBe(0);
  });

  it('names bad options', () => {
    const events = createEmitter<TelemetryEvents>();
    expect(() => createMetrics({ events, maxLabelValues: 0 })).toThrow(
      /maxLabelValues must be an integer >= 1/,
    );
    expect(() => createMetrics({ events, prefix: 'bad-prefix' })).toThrow(/prefix/);
    expect(() => createMetrics({ events: undefined as never })).toThrow(/events must be/);
    expect(events.listenerCount()).toBe(0);
  });

  it('names each bad option with an InvalidOptionError, and leaves no listener behind', () => {
    const events = createEmitter<TelemetryEvents>();
    const cases: [string, () => unknown][] = [
      ['toolLabels', () => createMetrics({ events, toolLabels: 'yes' as never })],
      ['snapshot', () => createMetrics({ events, snapshot: {} as never })],
      ['registry', () => createMetrics({ events, registry: {} as never })],
      ['buckets', () => createMetrics({ events, buckets: [] })],
      ['buckets', () => createMetrics({ events, buckets: [1, 0.5] })],
      ['buckets', () => createMetrics({ events, buckets: [0.1, Number.NaN] })],
    ];
    for (const [option, run] of cases) {
      let error: unknown;
      try {
        run();
      } catch (thrown) {
        error = thrown;
      }
      expect(InvalidOptionError.isInstance(error), option).toBe(true);
      expect((error as InvalidOptionError).option, option).toBe(option);
    }
    expect(events.listenerCount()).toBe(0);
  });

  it('refuses a second instance on the same registry and prefix, naming what to do', () => {
    const events = createEmitter<TelemetryEvents>();
    const registry = new Registry();
    const first = createMetrics({ events, registry });
    const listeners = events.listenerCount();
    let error: unknown;
    try {
      createMetrics({ events, registry });
    } catch (thrown) {
      error = thrown;
    }
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/mcpmx_requests_total is registered: close\(\)/);
    expect(events.listenerCount()).toBe(listeners);
    // Another prefix on the same registry is fine.
    const second = createMetrics({ events, registry, prefix: 'other_' });
    second.close();
    first.close();
    expect(events.listenerCount()).toBe(0);
  });

  it('leaves out a request whose duration is not a number instead of throwing in a listener', async () => {
    const reported: unknown[] = [];
    const events = createEmitter<TelemetryEvents>({
      onListenerError: (error) => reported.push(error),
    });
    const metrics = createMetrics({ events });
    events.emit('request-end', end('s', 'success', Number.NaN));
    events.emit('request-end', end('s', 'success', 100));
    expect(reported).toEqual([]);
    const samples = parse(await metrics.metrics());
    expect(
      samples.get('mcpmx_requests_total{method=tools/call,outcome=success,replica=s-1,server=s}'),
    ).toBe(2);
    expect(
      samples.get(
        'mcpmx_request_duration_seconds_count{method=tools/call,outcome=success,server=s}',
      ),
    ).toBe(1);
    metrics.close();
  });
});
