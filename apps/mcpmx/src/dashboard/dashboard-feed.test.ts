import {
  type ClientEvents,
  type ClientSnapshot,
  createMultiServerClient,
  type MultiServerClient,
} from '@mcpmx/client';
import { createEmitter, createSeededRandom, ManualClock } from '@mcpmx/core';
import { allUp, inFlight, testServers } from '@mcpmx/tooling-test-servers';
import { afterEach, describe, expect, it } from 'vitest';
import { createDashboardFeed } from './dashboard-feed.js';
import type { DashboardFrame } from './dashboard-frame.js';

const emptySnapshot: ClientSnapshot = { at: 0, state: 'started', servers: [] };

/** The client's own emitter type, fed by hand, with a fixed snapshot. */
const emitterSource = (snapshot: ClientSnapshot = emptySnapshot) => {
  const events = createEmitter<ClientEvents>();
  return { events, source: { on: events.on, snapshot: () => snapshot } };
};

/** One healthy replica, as a client's snapshot shows it. */
const ok = { status: 'ok' as const, items: 0 };
const oneReplica: ClientSnapshot = {
  at: 0,
  state: 'started',
  servers: [
    {
      name: 's',
      capabilities: { tools: 1, resources: 0, resourceTemplates: 0, prompts: 0 },
      lists: { tools: { ...ok, items: 1 }, resources: ok, resourceTemplates: ok, prompts: ok },
      warnings: [],
      replicas: [
        {
          id: 's#0',
          source: 'static',
          transport: 'stdio:node',
          tags: [],
          weight: 1,
          status: 'up',
          statusReason: 'session opened',
          breaker: 'closed',
          sessions: { open: 1, connecting: 0 },
          inFlight: 0,
          queued: 0,
          stats: { successes: 3, errors: 0, ewmaLatencyMs: 2.25, lastLatencyMs: 2 },
        },
      ],
    },
  ],
};

const requestEnd = (durationMs: number, outcome: 'success' | 'error' = 'success') => ({
  server: 's',
  replica: 's#0',
  method: 'tools/call',
  target: 'echo',
  at: 0,
  outcome,
  durationMs,
});

describe('dashboard feed: redaction', () => {
  it("passes every text from upstream or config through the source's redactor", () => {
    const replica = oneReplica.servers[0]?.replicas[0];
    if (!replica) throw new Error('fixture');
    const leaking: ClientSnapshot = {
      ...oneReplica,
      servers: oneReplica.servers.map((server) => ({
        ...server,
        replicas: [
          {
            ...replica,
            transport: 'stdio:/opt/s3cr3t-value/bin',
            statusReason: 'exited; stderr: s3cr3t-value',
            lastError: 'KEY=s3cr3t-value',
          },
        ],
      })),
    };
    const { source } = emitterSource(leaking);
    const redact = (text: string) => text.replaceAll('s3cr3t-value', '[redacted]');
    const feed = createDashboardFeed({ source: { ...source, redact }, clock: new ManualClock() });
    const frame = JSON.stringify(feed.frame());
    expect(frame).toContain('[redacted]');
    expect(frame).not.toContain('s3cr3t-value');
    feed.close();
  });
});

describe('dashboard feed: series, pushes and failovers (the client emitter, a manual clock)', () => {
  it('reports request rate, error rate and p50/p99 per interval over the last N intervals', () => {
    const clock = new ManualClock();
    const { events, source } = emitterSource();
    const feed = createDashboardFeed({
      source,
      clock,
      intervals: 4,
      random: createSeededRandom(1),
    });
    for (let i = 1; i <= 100; i++) events.emit('request-end', requestEnd(i));
    clock.advance(1000);
    events.emit('request-end', requestEnd(40, 'error'));
    events.emit('request-end', requestEnd(60));
    clock.advance(1000);
    const { series, totals } = feed.frame();
    expect(series.intervalMs).toBe(1000);
    expect(series.end).toBe(2000);
    expect(series.rate).toEqual([0, 0, 100, 2]);
    expect(series.errorRate).toEqual([0, 0, 0, 1]);
    expect(series.p50).toEqual([null, null, 50, 40]);
    expect(series.p99).toEqual([null, null, 99, 60]);
    expect(totals).toEqual({
      requests: 102,
      failedAttempts: 1,
      retriedAttempts: 0,
      calls: 0,
      failedCalls: 0,
      failovers: 0,
    });
    clock.advance(10_000);
    expect(feed.frame().series.rate).toEqual([0, 0, 0, 0]);
    feed.close();
  });

  it('pushes every interval while subscribed, and once soon after a burst of status changes', () => {
    const clock = new ManualClock();
    const { events, source } = emitterSource();
    const feed = createDashboardFeed({ source, clock });
    const frames: DashboardFrame[] = [];
    // No subscriber: no timer, and a status change schedules nothing.
    events.emit('replica-status', {
      server: 's',
      replica: 's#0',
      from: 'up',
      to: 'down',
      reason: 'x',
      at: 0,
    });
    expect(clock.pending()).toEqual([]);
    const unsubscribe = feed.subscribe((frame) => frames.push(frame));
    expect(clock.pending()).toEqual([1000]);
    clock.advance(1000);
    expect(frames).toHaveLength(1);
    for (const to of ['down', 'up', 'down'] as const) {
      events.emit('replica-status', {
        server: 's',
        replica: 's#0',
        from: 'up',
        to,
        reason: '',
        at: 0,
      });
    }
    events.emit('breaker-state', {
      server: 's',
      replica: 's#0',
      from: 'closed',
      to: 'open',
      at: 0,
    });
    clock.advance(25);
    expect(frames).toHaveLength(2);
    expect(frames[1]?.at).toBe(1025);
    clock.advance(975);
    expect(frames).toHaveLength(3);
    unsubscribe();
    expect(clock.pending()).toEqual([]);
    clock.advance(5000);
    expect(frames).toHaveLength(3);
    feed.close();
    expect(events.listenerCount()).toBe(0);
  });

  it('keeps the last failovers, newest first', () => {
    const clock = new ManualClock();
    const { events, source } = emitterSource();
    const feed = createDashboardFeed({ source, clock, maxFailovers: 3 });
    for (let i = 0; i < 5; i++) {
      clock.advance(10);
      events.emit('failover', {
        server: 's',
        from: `s#${i}`,
        to: `s#${i + 1}`,
        method: 'tools/call',
        target: 'echo',
        at: 0,
      });
    }
    const frame = feed.frame();
    expect(frame.totals.failovers).toBe(5);
    expect(frame.failovers.map((f) => `${f.from}>${f.to}@${f.at}`)).toEqual([
      's#4>s#5@50',
      's#3>s#4@40',
      's#2>s#3@30',
    ]);
    feed.close();
  });

  it('marks an ejected replica red until its ejection ends (on the feed clock)', () => {
    const clock = new ManualClock();
    const { events, source } = emitterSource(oneReplica);
    const feed = createDashboardFeed({ source, clock });
    const replica = () => feed.frame().servers[0]?.replicas[0];
    expect(replica()).toMatchObject({ id: 's#0', health: 'ok', ewmaLatencyMs: 2.3, sessions: 1 });
    clock.advance(500);
    // The event's times are on the client's clock; only the duration (30 s) carries over.
    events.emit('ejection', {
      server: 's',
      replica: 's#0',
      reason: '5 consecutive failures',
      at: 1_000_000,
      until: 1_030_000,
    });
    expect(replica()).toMatchObject({ health: 'bad', ejectedUntil: 30_500 });
    expect(feed.frame().servers[0]?.healthy).toBe(0);
    clock.advance(30_000);
    expect(replica()?.health).toBe('ok');
    expect(replica()?.ejectedUntil).toBeUndefined();
    feed.close();
  });

  it('rejects bad options, naming them', () => {
    const { source } = emitterSource();
    expect(() => createDashboardFeed({ source, intervalMs: 0 })).toThrow(
      /intervalMs must be a number > 0 \(got 0\)/,
    );
    expect(() => createDashboardFeed({ source, intervals: 1.5 })).toThrow(/intervals must be/);
  });
});

describe('dashboard feed on a real client (two fault-server replicas over stdio)', () => {
  let client: MultiServerClient | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it('shows replicas green, a crashed one red at once, and never call arguments', async () => {
    client = createMultiServerClient({
      endpoints: [0, 1].map((index) => ({
        id: `fault#${index}`,
        server: 'fault',
        transport: { type: 'stdio' as const, command: process.execPath, args: [testServers.fault] },
      })),
      // Slow healing keeps the crashed replica down while the test looks at it.
      pool: { healthCheckIntervalMs: 0, backoff: { initialMs: 60_000, maxMs: 60_000 } },
    });
    await client.start();
    await allUp(client);
    const clock = new ManualClock();
    const feed = createDashboardFeed({ source: client, clock });
    const frames: DashboardFrame[] = [];
    const unsubscribe = feed.subscribe((frame) => frames.push(frame));

    const first = feed.frame();
    expect(first.servers.map((s) => s.name)).toEqual(['fault']);
    expect(first.servers[0]?.healthy).toBe(2);
    expect(first.servers[0]?.replicas.map((r) => [r.id, r.status, r.breaker, r.health])).toEqual([
      ['fault#0', 'up', 'closed', 'ok'],
      ['fault#1', 'up', 'closed', 'ok'],
    ]);

    for (let i = 0; i < 5; i++) await client.callTool('echo', { message: 'argument-never-shown' });
    clock.advance(1000);
    expect(frames.at(-1)?.series.rate.at(-1)).toBe(5);
    expect(frames.at(-1)?.series.p50.at(-1)).toBeGreaterThan(0);

    const down = new Promise<void>((resolve) => {
      const off = client?.on('replica-status', (event) => {
        if (event.replica === 'fault#1' && event.to === 'down') {
          off?.();
          resolve();
        }
      });
    });
    await client.callTool('crash', {}, { replica: 'fault#1' }).catch(() => undefined);
    await down;
    const before = frames.length;
    clock.advance(25);
    expect(frames).toHaveLength(before + 1);
    const crashed = frames.at(-1)?.servers[0]?.replicas.find((r) => r.id === 'fault#1');
    expect(crashed).toMatchObject({ status: 'down', health: 'bad' });
    expect(crashed?.statusReason).toMatch(/session closed/);
    expect(frames.at(-1)?.servers[0]?.healthy).toBe(1);
    expect(JSON.stringify(frames)).not.toContain('argument-never-shown');

    unsubscribe();
    feed.close();
    expect(clock.pending()).toEqual([]);
  });

  it('counts failed calls apart from failed attempts that were retried (was: one "errors" for both)', async () => {
    // As in the demo: read-only calls in flight on a replica that dies fail over and succeed.
    client = createMultiServerClient({
      endpoints: [0, 1].map((index) => ({
        id: `fault#${index}`,
        server: 'fault',
        transport: { type: 'stdio' as const, command: process.execPath, args: [testServers.fault] },
      })),
      pool: { healthCheckIntervalMs: 0, backoff: { initialMs: 60_000, maxMs: 60_000 } },
    });
    await client.start();
    await allUp(client);
    const feed = createDashboardFeed({ source: client, clock: new ManualClock() });
    const started = inFlight(client, 'slow', 6);
    const calls = Array.from({ length: 6 }, () => client?.callTool('slow', { ms: 1500 }));
    const victim = await started;
    // crash kills its replica mid-request and is not idempotent: the one failed call.
    await expect(client.callTool('crash', {}, { replica: victim })).rejects.toThrow();
    const results = await Promise.allSettled(calls);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);

    const { totals } = feed.frame();
    expect(totals.calls).toBe(7);
    expect(totals.failedCalls).toBe(1);
    expect(totals.retriedAttempts).toBeGreaterThan(0);
    expect(totals.failedAttempts).toBe(totals.retriedAttempts + totals.failedCalls);
    expect(totals.failovers).toBeGreaterThan(0);
    feed.close();
  });
});
