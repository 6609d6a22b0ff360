import type { MultiServerClient } from '@mcpmx/client';
import { type Random, randomInt } from '@mcpmx/core';
import { descendantPids } from '@mcpmx/tooling-test-servers';
import type { Availability } from './availability.js';
import type { Fleet } from './fleet.js';
import type { MemoryDiscovery } from './memory-discovery.js';
import { waitHealthy } from './wait-healthy.js';

export interface ChaosOptions {
  client: MultiServerClient;
  fleet: Fleet;
  discovery: MemoryDiscovery;
  availability: Availability;
  /** Seeded: the same seed gives the same sequence of actions. */
  random: Random;
  intervalMs: number;
  violations: string[];
  log: (line: string) => void;
}

export interface Chaos {
  /** Actions taken, by kind. */
  readonly counts: Record<string, number>;
  /** Stops scheduling, ends every fault in force and waits for that. Idempotent. */
  stop(): Promise<void>;
}

const PROXY_FAULTS = ['latencyMs', 'reset', 'blackhole', 'halfOpen'] as const;

/**
 * The chaos scheduler: at seeded random intervals, one of
 * - kill -9 of a replica (alpha: the pool respawns it; beta: restarted after a hold),
 * - a proxy fault on a beta replica for a hold (latency, reset, blackhole, half-open),
 * - discovery churn: a replica removed from the discovery set, re-added after a hold.
 * A replica already under a fault is left alone. Timers here are the scheduler's own.
 */
export function startChaos(options: ChaosOptions): Chaos {
  const { client, fleet, discovery, availability, random, log } = options;
  const counts: Record<string, number> = {
    'kill -9': 0,
    restart: 0,
    'proxy latency': 0,
    'proxy reset': 0,
    'proxy blackhole': 0,
    'proxy half-open': 0,
    'discovery remove': 0,
    'discovery re-add': 0,
  };
  const bump = (label: string) => {
    counts[label] = (counts[label] ?? 0) + 1;
  };
  const ids = fleet.endpoints.map((endpoint) => endpoint.id);
  const removed = new Set<string>();
  const pending = new Set<Promise<unknown>>();
  const timers = new Set<NodeJS.Timeout>();
  /** Ends of holds still in force, so stop() can end them early. */
  const holds = new Set<() => Promise<void>>();
  let stopped = false;
  const now = () => performance.now();
  const track = (promise: Promise<unknown>) => {
    const tracked = promise.catch((error: Error) =>
      options.violations.push(`chaos: ${error.message}`),
    );
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };
  const hold = (ms: number, end: () => Promise<void>) => {
    let done = false;
    const finish = async () => {
      if (done) return;
      done = true;
      holds.delete(finish);
      clearTimeout(timer);
      timers.delete(timer);
      await end();
    };
    const timer = setTimeout(() => track(finish()), ms);
    timers.add(timer);
    holds.add(finish);
  };
  /** Ends an unavailability once the client can use the replica again (or gives up, loudly). */
  const recovered = async (id: string, end: (at: number) => void) => {
    try {
      await waitHealthy(client, id, 15_000);
    } finally {
      end(now());
    }
  };
  const holdMs = () => 300 + randomInt(random, 1500);

  const killAlpha = async (id: string) => {
    const stats = await client
      .callTool('alpha__stats', {}, { replica: id, timeoutMs: 1000 })
      .catch(() => undefined);
    const pid = (stats?.structuredContent as { pid?: number } | undefined)?.pid;
    // Only a process this one started, and only while the replica is still ours to fault.
    if (pid === undefined || !descendantPids().includes(pid) || availability.isFaulted(id)) return;
    const end = availability.begin(id, now());
    bump('kill -9');
    log(`kill -9 ${id} (pid ${pid})`);
    // Listen before the kill: the pool must see the process die before "usable again" means
    // anything (else a replica still read as up would end the outage at once).
    const noticed = new Promise<void>((resolve) => {
      const off = client.on('replica-status', (event) => {
        if (event.replica === id && event.to !== 'up') {
          off();
          resolve();
        }
      });
    });
    process.kill(pid, 'SIGKILL');
    await noticed;
    // The pool respawns it; the replica is back when the client can use it again.
    await recovered(id, end);
  };

  const killBeta = async (id: string) => {
    const replica = fleet.http.get(id);
    if (!replica) return;
    const end = availability.begin(id, now());
    bump('kill -9');
    log(`kill -9 ${id} (pid ${replica.server.pid})`);
    await replica.server.kill('SIGKILL');
    hold(holdMs(), async () => {
      await replica.server.restart();
      bump('restart');
      await recovered(id, end);
    });
  };

  const proxyFault = (id: string) => {
    const replica = fleet.http.get(id);
    if (!replica) return;
    const fault = PROXY_FAULTS[
      randomInt(random, PROXY_FAULTS.length)
    ] as (typeof PROXY_FAULTS)[number];
    const label =
      fault === 'latencyMs'
        ? 'proxy latency'
        : fault === 'halfOpen'
          ? 'proxy half-open'
          : `proxy ${fault}`;
    bump(label);
    log(`${label} on ${id}`);
    // Latency slows a replica down; the others make it unreachable.
    const end = fault === 'latencyMs' ? undefined : availability.begin(id, now());
    replica.proxy.setFaults(fault === 'latencyMs' ? { latencyMs: 200 } : { [fault]: true });
    if (fault === 'reset' || fault === 'blackhole') replica.proxy.resetAll();
    hold(holdMs(), async () => {
      replica.proxy.setFaults({});
      if (end) await recovered(id, end);
    });
  };

  const churn = (id: string) => {
    const end = availability.begin(id, now());
    removed.add(id);
    bump('discovery remove');
    log(`discovery: remove ${id}`);
    const publish = () =>
      discovery.set(fleet.endpoints.filter((endpoint) => !removed.has(endpoint.id)));
    publish();
    hold(holdMs(), async () => {
      removed.delete(id);
      bump('discovery re-add');
      log(`discovery: re-add ${id}`);
      publish();
      await recovered(id, end);
    });
  };

  const act = () => {
    const id = ids[randomInt(random, ids.length)] as string;
    const roll = random.next();
    if (availability.isFaulted(id)) return;
    if (roll < 0.35) track(id.startsWith('alpha') ? killAlpha(id) : killBeta(id));
    else if (roll < 0.7 && id.startsWith('beta')) proxyFault(id);
    else churn(id);
  };

  const schedule = () => {
    if (stopped) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (stopped) return;
        act();
        schedule();
      },
      options.intervalMs * (0.5 + random.next()),
    );
    timers.add(timer);
  };
  schedule();

  let stopping: Promise<void> | undefined;
  return {
    counts,
    stop: () => {
      stopping ??= (async () => {
        stopped = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        await Promise.all([...holds].map((finish) => finish()));
        while (pending.size > 0) await Promise.all([...pending]);
      })();
      return stopping;
    },
  };
}
