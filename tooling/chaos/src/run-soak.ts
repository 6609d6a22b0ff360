import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { consecutiveFailures, createCircuitBreaker } from '@mcpmx/breaker';
import { createMultiServerClient } from '@mcpmx/client';
import { createSeededRandom, McpmxError, type Random, randomInt } from '@mcpmx/core';
import { descendantPids } from '@mcpmx/tooling-test-servers';
import { Availability } from './availability.js';
import { startChaos } from './chaos-actions.js';
import { SERVERS, startFleet } from './fleet.js';
import { LatencyHistogram } from './histogram.js';
import { createMemoryDiscovery } from './memory-discovery.js';
import { waitHealthy } from './wait-healthy.js';

export interface SoakOptions {
  /** Seed for the workload mix and the chaos schedule. Default: random, printed. */
  seed?: number;
  /** How long the workload and the chaos run. */
  durationMs: number;
  /** Calls in flight at once. Default 8. */
  concurrency?: number;
  /** Mean time between chaos actions. Default 1000 ms. */
  chaosIntervalMs?: number;
  /** Per-call timeout. Default 2000 ms. */
  callTimeoutMs?: number;
  /** Margin after a replica is usable again (up, breaker closed). Default 1000 ms. */
  graceMs?: number;
  /** Allowed heap growth over the run, after GC. Default 20 MiB. */
  heapBoundMiB?: number;
  log?: (line: string) => void;
}

export interface KindFigures {
  ok: number;
  failed: number;
  /** Failures by error code (or name, for untyped errors). */
  errors: Record<string, number>;
}

export interface SoakReport {
  seed: number;
  durationMs: number;
  calls: number;
  readOnly: KindFigures & { excused: number };
  nonIdempotent: KindFigures & { ledgerLines: number };
  failovers: number;
  retries: number;
  chaos: Record<string, number>;
  allDownMs: Record<string, number>;
  latencyMs: { p50: number; p99: number };
  heapMiB: { before: number; after: number; afterClose: number };
  violations: string[];
}

const MiB = 1024 * 1024;

/** A GC for heap figures: --expose-gc at run time, without a flag on the command line. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const countBy = (items: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
};

const processListeners = () =>
  process.eventNames().reduce((sum, name) => sum + process.listenerCount(name), 0);

/** Live TCP sockets of this process (node's own handle list; only for the leak check). */
function openSockets(): Socket[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((handle): handle is Socket => handle instanceof Socket);
}

/** Resolves when the socket closes, or after `timeoutMs` if it does not. */
function closed(socket: Socket, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      socket.off('close', done);
      resolve();
    }
    socket.once('close', done);
  });
}

/**
 * The chaos soak: two logical servers × three replicas behind one MultiServerClient, a
 * bounded mixed workload, kill -9 and restarts, proxy faults and discovery churn, then the
 * invariants (see README). Never throws for a broken invariant: it lists it in `violations`.
 */
/** The longest open period of the soak's breakers. */
const BREAKER_MAX_OPEN_MS = 1000;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const log = options.log ?? (() => undefined);
  const concurrency = options.concurrency ?? 8;
  const callTimeoutMs = options.callTimeoutMs ?? 2000;
  // A replica that is back may still be refused for one open period of its breaker (when it
  // did not reconnect, e.g. after a blackhole), so the grace covers the longest one.
  const graceMs = options.graceMs ?? BREAKER_MAX_OPEN_MS + 500;
  const heapBoundMiB = options.heapBoundMiB ?? 20;
  const gc = exposeGc();
  const violations: string[] = [];
  log(`seed ${seed}: ${options.durationMs / 1000} s, ${concurrency} in flight`);

  const pidsBefore = new Set(descendantPids());
  const socketsBefore = new Set(openSockets());
  const resourcesBefore = countBy(process.getActiveResourcesInfo());
  const listenersBefore = processListeners();
  const dir = await mkdtemp(join(tmpdir(), 'mcpmx-chaos-'));
  const fleet = await startFleet({ dir });
  const discovery = createMemoryDiscovery('chaos', fleet.endpoints);
  const client = createMultiServerClient({
    discovery: [discovery],
    naming: { policy: 'prefix' },
    timeoutMs: callTimeoutMs,
    retry: { retries: 2, budgetMs: 4 * callTimeoutMs },
    pool: {
      backoff: { initialMs: 50, maxMs: 500 },
      acquireTimeoutMs: callTimeoutMs,
      // Health checks every 2 s with a 2 s timeout: a shorter timeout reports false failures
      // on a loaded 2-core machine (and restarts healthy replicas).
      healthCheckIntervalMs: 2000,
      healthCheckTimeoutMs: 2000,
    },
    // Faults here last seconds, not minutes: a breaker that stays open 5 s and backs off to
    // 60 s would turn each into a long outage. Half-open after 250 ms, up to 1 s.
    createBreaker: () =>
      createCircuitBreaker({
        policy: consecutiveFailures(5),
        halfOpenAfter: { initialMs: 250, factor: 2, maxMs: BREAKER_MAX_OPEN_MS },
      }),
  });
  let failovers = 0;
  let retries = 0;
  const disposers = [client.on('failover', () => failovers++), client.on('retry', () => retries++)];
  const availability = new Availability(fleet.replicasByServer, graceMs);
  const readOnly = { ok: 0, failed: 0, excused: 0, errors: {} as Record<string, number> };
  const nonIdempotent = { ok: 0, failed: 0, ledgerLines: 0, errors: {} as Record<string, number> };
  const latency = new LatencyHistogram();
  // Per count call: 0 not sent, 1 in flight, 2 succeeded, 3 failed. One byte per call.
  let countState = new Uint8Array(1024);
  const failedReads: { n: number; server: string; start: number; end: number; error: unknown }[] =
    [];
  const heap = { before: 0, after: 0, afterClose: 0 };
  let chaos: Awaited<ReturnType<typeof startChaos>> | undefined;
  let calls = 0;

  const callOnce = async (n: number) => {
    const draw: Random = createSeededRandom((seed * 31 + n) >>> 0);
    const server = SERVERS[randomInt(draw, SERVERS.length)] as string;
    const isRead = draw.next() < 0.6;
    const start = performance.now();
    calls++;
    if (isRead) {
      try {
        const result = await client.callTool(`${server}__echo`, { message: `m${n}` });
        const text = (result.content[0] as { text?: string } | undefined)?.text;
        if (text !== `Echo: m${n}`)
          violations.push(`echo #${n} on ${server} answered ${JSON.stringify(text)}`);
        readOnly.ok++;
        latency.record(performance.now() - start);
      } catch (error) {
        readOnly.failed++;
        const code = McpmxError.isInstance(error) ? error.code : `untyped ${(error as Error).name}`;
        readOnly.errors[code] = (readOnly.errors[code] ?? 0) + 1;
        failedReads.push({ n, server, start, end: performance.now(), error });
      }
      return;
    }
    if (n >= countState.length) {
      const grown = new Uint8Array(countState.length * 2);
      grown.set(countState);
      countState = grown;
    }
    countState[n] = 1;
    try {
      const result = await client.callTool(`${server}__count`, { key: `${seed}-${n}` });
      const text = (result.content[0] as { text?: string } | undefined)?.text;
      if (text !== '1')
        violations.push(
          `count #${n} on ${server} ran more than once in one process (answered ${text})`,
        );
      countState[n] = 2;
      nonIdempotent.ok++;
      latency.record(performance.now() - start);
    } catch (error) {
      countState[n] = 3;
      nonIdempotent.failed++;
      const code = McpmxError.isInstance(error) ? error.code : `untyped ${(error as Error).name}`;
      nonIdempotent.errors[code] = (nonIdempotent.errors[code] ?? 0) + 1;
      if (!McpmxError.isInstance(error)) {
        violations.push(
          `count #${n} on ${server} failed with an untyped error: ${(error as Error).message}`,
        );
      }
    }
  };

  let next = 0;
  const workload = async (running: () => boolean) => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (running()) await callOnce(next++);
      }),
    );
  };

  try {
    await client.start();
    await Promise.all(fleet.endpoints.map((endpoint) => waitHealthy(client, endpoint.id, 15_000)));
    const warmEnd = performance.now() + 1000; // warm-up: lazy code paths, first sessions
    await workload(() => performance.now() < warmEnd);
    gc();
    heap.before = process.memoryUsage().heapUsed / MiB;
    const t0 = performance.now();
    chaos = startChaos({
      client,
      fleet,
      discovery,
      availability,
      random: createSeededRandom(seed ^ 0x5bd1e995),
      intervalMs: options.chaosIntervalMs ?? 1000,
      violations,
      log,
    });
    // The workload runs on until the chaos has stopped and every fault is over: a replica
    // counts as back only once calls have closed its breaker again.
    let settled = false;
    const working = workload(() => !settled);
    await new Promise((resolve) => setTimeout(resolve, options.durationMs));
    await chaos.stop();
    settled = true;
    await working;
    const t1 = performance.now();
    // Every replica must come back once the faults are gone, and then every call must work.
    await Promise.all(
      fleet.endpoints.map((endpoint) =>
        waitHealthy(client, endpoint.id, 15_000).catch((error: Error) =>
          violations.push(error.message),
        ),
      ),
    );
    for (const server of SERVERS) {
      for (let i = 0; i < 10; i++) {
        await client
          .callTool(`${server}__echo`, { message: 'after' }, { timeoutMs: 5000 })
          .catch((error: Error) =>
            violations.push(`${server} did not recover after the chaos ended: ${error.message}`),
          );
      }
    }
    gc();
    heap.after = process.memoryUsage().heapUsed / MiB;

    // Invariant: read-only calls fail only (typed) while no replica of their server was up.
    for (const failure of failedReads) {
      const typed = McpmxError.isInstance(failure.error);
      if (typed && availability.wasAllDown(failure.server, failure.start, failure.end)) {
        readOnly.excused++;
        continue;
      }
      const error = failure.error as Error;
      violations.push(
        `read-only call #${failure.n} to ${failure.server} failed at ${Math.round(failure.start - t0)}..${Math.round(failure.end - t0)} ms while a replica was up: ${typed ? (error as McpmxError).code : `untyped ${error.name}`}: ${error.message.split('\n')[0]}`,
      );
    }
    // Invariant: no non-idempotent call executed twice; every success executed exactly once.
    const lines = (await readFile(fleet.ledger, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean);
    nonIdempotent.ledgerLines = lines.length;
    const executions = countBy(lines.map((line) => line.split(' ')[0] as string));
    for (const [key, times] of executions) {
      if (times > 1) violations.push(`count key ${key} executed ${times} times (ledger)`);
    }
    for (let n = 0; n < countState.length; n++) {
      if (countState[n] === 2 && !executions.has(`${seed}-${n}`)) {
        violations.push(`count #${n} succeeded but is not in the ledger`);
      }
    }
    const growth = heap.after - heap.before;
    if (growth > heapBoundMiB) {
      violations.push(
        `heap grew by ${growth.toFixed(1)} MiB over the run (bound ${heapBoundMiB} MiB): ${heap.before.toFixed(1)} -> ${heap.after.toFixed(1)} MiB`,
      );
    }
    const allDownMs = Object.fromEntries(
      SERVERS.map((server) => [server, Math.round(availability.allDownMs(server, t0, t1))]),
    );
    return {
      seed,
      durationMs: Math.round(t1 - t0),
      calls,
      readOnly,
      nonIdempotent,
      failovers,
      retries,
      chaos: chaos.counts,
      allDownMs,
      latencyMs: { p50: latency.quantile(0.5), p99: latency.quantile(0.99) },
      heapMiB: heap,
      violations,
    };
  } finally {
    await chaos?.stop();
    for (const dispose of disposers) dispose();
    await client.close();
    await fleet.close();
    await rm(dir, { recursive: true, force: true });
    gc();
    heap.afterClose = process.memoryUsage().heapUsed / MiB;
    // Invariant: nothing leaked: child processes, handles, process listeners.
    const leakedPids = descendantPids().filter((pid) => !pidsBefore.has(pid));
    if (leakedPids.length > 0)
      violations.push(`child processes left after close: ${leakedPids.join(', ')}`);
    // Every socket counts, the fault proxies' too: a proxy socket that never closes keeps a
    // handle that can stop the process from exiting at all.
    const ours = (socket: Socket) => !socketsBefore.has(socket);
    // Sockets that are closing (an RST in flight) get a moment to finish, by their own event.
    await Promise.all(
      openSockets()
        .filter(ours)
        .map((socket) => closed(socket, 2000)),
    );
    const lingering = openSockets().filter(ours);
    if (lingering.length > 0) {
      violations.push(
        `sockets open after close: ${lingering.map((socket) => (socket.localPort === undefined ? 'a destroyed socket whose handle never closed' : `${socket.localPort} -> ${socket.remoteAddress}:${socket.remotePort}${socket.destroyed ? ' (destroyed)' : ''}`)).join(', ')}`,
      );
    }
    // An fs request or a socket close still completing gets a few turns of the loop (bounded).
    const excess = () =>
      [...countBy(process.getActiveResourcesInfo())].filter(
        ([type, count]) => count > (resourcesBefore.get(type) ?? 0),
      );
    for (let turn = 0; turn < 20 && excess().length > 0; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    for (const [type, count] of countBy(process.getActiveResourcesInfo())) {
      const before = resourcesBefore.get(type) ?? 0;
      if (count > before)
        violations.push(`${count - before} more active ${type} after close than before`);
    }
    const listenersAfter = processListeners();
    if (listenersAfter > listenersBefore) {
      violations.push(
        `${listenersAfter - listenersBefore} more process listeners after close than before`,
      );
    }
  }
}
