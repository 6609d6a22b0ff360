import { join } from 'node:path';
import type { MultiServerClient } from '@mcpmx/client';
import type { Fleet } from './fleet.js';
import { SLOW_REPLICA_MS } from './fleet.js';
import { type LoadResult, latencySummary, runLoad } from './load.js';
import type { Progress } from './progress.js';
import { type EventMatcher, match, waitForEvent } from './wait-for.js';

/** One row of the demo's summary. */
export interface PhaseReport {
  phase: string;
  calls: number;
  ok: number;
  failed: number;
  p50?: number;
  p99?: number;
  /** What the phase showed, in a few words. */
  outcome: string;
}

export interface PhaseContext {
  client: MultiServerClient;
  fleet: Fleet;
  progress: Progress;
  write: (text: string) => void;
  /** Smaller workloads, for tests. */
  short: boolean;
}

const WAIT_MS = 20_000;

const report = (phase: string, load: LoadResult, outcome: string): PhaseReport => ({
  phase,
  calls: load.calls,
  ok: load.ok,
  failed: load.failed,
  ...latencySummary(load.latencies),
  outcome,
});

const shares = (load: LoadResult) =>
  [...load.byReplica.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([replica, count]) => `${replica} ${count}`)
    .join(', ');

/** A new replica announced in the discovery file joins the server and takes calls. */
export async function discoveryPhase(context: PhaseContext): Promise<PhaseReport> {
  const { client, fleet, progress } = context;
  progress.phase('discovery', 'a third server-everything replica is announced in the file');
  const joined = waitForEvent(
    client,
    [match('replica-status', (event) => event.replica === 'everything#2' && event.to === 'up')],
    'everything#2 to come up after discovery',
    WAIT_MS,
  );
  await fleet.announce(3);
  await joined;
  const replicas = client.registry.replicas('everything').length;
  return {
    phase: 'discovery',
    calls: 0,
    ok: 0,
    failed: 0,
    outcome: `file source added everything#2 (${replicas} replicas)`,
  };
}

/** Calls spread over the three HTTP replicas. */
export async function balancePhase(context: PhaseContext): Promise<PhaseReport> {
  const { client, progress, short } = context;
  const calls = short ? 60 : 300;
  progress.phase('balance', `${calls} echo calls over 3 replicas`);
  const load = await runLoad({
    client,
    calls,
    concurrency: 4,
    call: (index) => client.callTool('everything__echo', { message: `call ${index}` }),
    onProgress: (done) => progress.tick(done, calls),
  });
  return report('balance', load, shares(load));
}

/**
 * kill -9 one replica under load: calls fail over, the breaker opens, and when the process
 * is back on its port the replica is readmitted. Read-only calls must not fail.
 */
export async function failoverPhase(context: PhaseContext): Promise<PhaseReport> {
  const { client, fleet, progress, short } = context;
  const victim = fleet.everything[1];
  if (!victim) throw new Error('the demo needs three everything replicas');
  const id = 'everything#1';
  const afterReadmission = short ? 100 : 400;
  progress.phase('failover', `kill -9 ${id} while 8 calls are in flight, then restart it`);
  let failovers = 0;
  let breakerOpened = false;
  let breakerClosed = false;
  let readmittedAt: number | undefined;
  let aborted = false;
  const listeners = [
    client.on('failover', () => failovers++),
    client.on('breaker-state', (event) => {
      if (event.replica !== id) return;
      if (event.to === 'open') breakerOpened = true;
      if (event.to === 'closed' && breakerOpened) breakerClosed = true;
    }),
  ];
  let done = 0;
  const load = runLoad({
    client,
    calls: 1_000_000,
    concurrency: 8,
    call: (index) => client.callTool('everything__echo', { message: `failover ${index}` }),
    stopWhen: () =>
      aborted || (readmittedAt !== undefined && done >= readmittedAt + afterReadmission),
    onProgress: (count) => {
      done = count;
      progress.tick(count, undefined, `failovers ${failovers}`);
    },
  });
  const waits = new AbortController();
  const waitFor = (matchers: EventMatcher[], what: string) => {
    const waited = waitForEvent(client, matchers, what, WAIT_MS, waits.signal);
    waited.catch(() => undefined); // a wait abandoned by an earlier failure is not unhandled
    return waited;
  };
  let result: LoadResult;
  try {
    await waitFor([match('request-end', () => done >= 50)], 'calls to flow');
    const down = waitFor(
      [
        match('replica-status', (e) => e.replica === id && e.to === 'down'),
        match('breaker-state', (e) => e.replica === id && e.to === 'open'),
      ],
      `${id} to be marked down or its breaker to open`,
    );
    await victim.kill('SIGKILL');
    await down;
    progress.note(`${id} killed: ${breakerOpened ? 'breaker open' : 'marked down'}`);
    const up = waitFor(
      [match('replica-status', (e) => e.replica === id && e.to === 'up')],
      `${id} to be readmitted`,
    );
    await victim.restart();
    await up;
    if (breakerOpened && !breakerClosed) {
      await waitFor(
        [match('breaker-state', (e) => e.replica === id && e.to === 'closed')],
        `${id}'s breaker to close`,
      );
    }
    readmittedAt = done;
    result = await load;
  } catch (error) {
    aborted = true; // let the load drain, then report what went wrong
    await load.catch(() => undefined);
    throw error;
  } finally {
    waits.abort();
    for (const stop of listeners) stop();
  }
  const served = result.byReplica.get(id) ?? 0;
  const outcome = [
    `${failovers} failovers`,
    breakerOpened ? 'breaker opened and closed' : 'marked down and back up',
    `readmitted (${served} calls served by ${id})`,
  ].join('; ');
  return report('failover', result, outcome);
}

/** One replica of the flaky server adds latency; P2C peak-EWMA sends it few calls. */
export async function slowReplicaPhase(context: PhaseContext): Promise<PhaseReport> {
  const { client, progress, short } = context;
  const calls = short ? 80 : 400;
  progress.phase('slow replica', `flaky#2 adds ${SLOW_REPLICA_MS} ms; ${calls} calls`);
  const load = await runLoad({
    client,
    calls,
    concurrency: 4,
    call: (index) => client.callTool('flaky__echo', { message: `slow ${index}` }),
    onProgress: (done) => progress.tick(done, calls),
  });
  const slow = load.byReplica.get('flaky#2') ?? 0;
  const share = Math.round((100 * slow) / Math.max(1, load.ok));
  return report('slow replica', load, `flaky#2 got ${share}% of calls (even split: 33%)`);
}

/** One call fanned out to every server that has `echo`, results side by side. */
export async function fanOutPhase(context: PhaseContext): Promise<PhaseReport> {
  const { client, progress, write } = context;
  progress.phase('fan-out', 'echo on every server that offers it');
  const started = performance.now();
  const outcome = await client.fanOut(
    'echo',
    { message: 'hello, all of you' },
    { strategy: 'all-settled', perServerTimeoutMs: 5000 },
  );
  const elapsed = performance.now() - started;
  for (const result of outcome.results) {
    const text = result.ok
      ? ((result.value.content[0] as { text?: string } | undefined)?.text ?? '(no text)')
      : `failed: ${(result.error as Error).message}`;
    write(`    ${result.target}: ${text}`);
  }
  const ok = outcome.results.filter((result) => result.ok).length;
  return {
    phase: 'fan-out',
    calls: outcome.results.length,
    ok,
    failed: outcome.results.length - ok,
    p50: Math.round(elapsed * 10) / 10,
    p99: Math.round(elapsed * 10) / 10,
    outcome: `${ok} of ${outcome.results.length} servers answered (${outcome.results.map((r) => r.target).join(', ')})`,
  };
}

/** Repeated read-only calls are answered from the result cache. */
export async function cachePhase(context: PhaseContext): Promise<PhaseReport> {
  const { client, progress, short } = context;
  const calls = short ? 20 : 60;
  progress.phase('cache', `${calls} get-sum calls with 3 distinct arguments`);
  let hits = 0;
  let misses = 0;
  const stop = client.on('cache', (event) => (event.hit ? hits++ : misses++));
  const load = await runLoad({
    client,
    calls,
    concurrency: 1,
    call: (index) => client.callTool('get-sum', { a: index % 3, b: 1 }),
    onProgress: (done) => progress.tick(done, calls),
  });
  stop();
  return report('cache', load, `${hits} hits, ${misses} misses`);
}

/** An agent-style task over the stdio servers: remember something, read files. */
export async function agentPhase(context: PhaseContext): Promise<PhaseReport> {
  const { client, fleet, progress } = context;
  progress.phase('agent task', 'memory and filesystem over stdio');
  const steps: Array<[string, () => Promise<unknown>]> = [
    [
      'create_entities',
      () =>
        client.callTool('create_entities', {
          entities: [
            { name: 'mcpmx', entityType: 'project', observations: ['federates MCP servers'] },
          ],
        }),
    ],
    ['read_graph', () => client.callTool('read_graph', {})],
    ['list_directory', () => client.callTool('list_directory', { path: fleet.filesDir })],
    [
      'read_text_file',
      () => client.callTool('read_text_file', { path: join(fleet.filesDir, 'plan.md') }),
    ],
  ];
  const load = await runLoad({
    client,
    calls: steps.length,
    concurrency: 1,
    call: (index) => (steps[index]?.[1] ?? (() => Promise.resolve()))(),
  });
  return report('agent task', load, steps.map(([name]) => name).join(', '));
}
