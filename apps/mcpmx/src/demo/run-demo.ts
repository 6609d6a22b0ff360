import { consecutiveFailures, createCircuitBreaker } from '@mcpmx/breaker';
import { ANSWERED_BY, createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { closeOnSignals } from '@mcpmx/pool';
import { createConfigDiscovery } from '@mcpmx/registry';
import { type HttpGateway, startHttpGateway } from '../http-gateway.js';
import { renderTable } from '../table.js';
import { type Fleet, startFleet } from './fleet.js';
import {
  agentPhase,
  balancePhase,
  cachePhase,
  discoveryPhase,
  failoverPhase,
  fanOutPhase,
  type PhaseContext,
  type PhaseReport,
  slowReplicaPhase,
} from './phases.js';
import { createProgress } from './progress.js';

export interface DemoOptions {
  /** Smaller workloads (used by the tests). */
  short?: boolean;
  /** Leave the servers and the dashboard up after the summary, until Ctrl-C. */
  keep?: boolean;
  write?: (text: string) => void;
  /** Redraw a status line in place. Default: whether stdout is a terminal. */
  tty?: boolean;
}

/**
 * `mcpmx demo`: starts real MCP servers on loopback and stdio, federates them through one
 * client, runs a scripted agent-style workload (balancing, a replica killed and readmitted, a
 * slow replica avoided, a fan-out, cache hits) and prints a summary table. Everything it started
 * is closed at the end, on an error, and on Ctrl-C.
 */
export async function runDemo(options: DemoOptions = {}): Promise<PhaseReport[]> {
  const write = options.write ?? ((text: string) => process.stdout.write(`${text}\n`));
  const tty = options.tty ?? process.stdout.isTTY === true;
  let fleet: Fleet | undefined;
  let client: MultiServerClient | undefined;
  let gateway: HttpGateway | undefined;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await gateway?.close();
      await client?.close();
      await fleet?.close();
    })();
    return closing;
  };
  const stopSignals = closeOnSignals({ close });
  try {
    write('mcpmx demo: starting 3 × server-everything (HTTP), memory, filesystem, 3 × flaky');
    fleet = await startFleet();
    const discovery = createConfigDiscovery({ path: fleet.discoveryFile, id: 'file' });
    client = createMultiServerClient({
      config: fleet.config,
      discovery: [discovery],
      pool: { maxSessions: 2, backoff: { initialMs: 100, maxMs: 1000 } },
      createBreaker: () =>
        createCircuitBreaker({
          policy: consecutiveFailures(3),
          halfOpenAfter: { initialMs: 1000, factor: 2, maxMs: 5000 },
        }),
      cache: { enabled: true },
    });
    await client.start();
    gateway = await startHttpGateway({ client });
    write(`dashboard: ${gateway.url}/   (gateway at ${gateway.url}/mcp)`);
    printCatalog(client, write);
    await firstCall(client, write);

    const context: PhaseContext = {
      client,
      fleet,
      progress: createProgress(write, { tty }),
      write,
      short: options.short ?? false,
    };
    const reports: PhaseReport[] = [];
    for (const phase of [
      discoveryPhase,
      balancePhase,
      failoverPhase,
      slowReplicaPhase,
      fanOutPhase,
      cachePhase,
      agentPhase,
    ]) {
      const phaseReport = await phase(context);
      context.progress.finish();
      write(`  ✓ ${phaseReport.outcome}`);
      reports.push(phaseReport);
    }
    write('');
    write(summaryTable(reports));
    const calls = reports.reduce((sum, row) => sum + row.calls, 0);
    const failed = reports.reduce((sum, row) => sum + row.failed, 0);
    write(`\n${calls} calls, ${failed} failed.`);
    if (options.keep) {
      write(`\nThe dashboard stays up at ${gateway.url}/ — press Ctrl-C to stop.`);
      await new Promise<void>(() => undefined); // until a signal closes everything
    }
    return reports;
  } finally {
    stopSignals();
    await close();
  }
}

/** One routed call, timed from the launch of this process: how soon the demo is useful. */
async function firstCall(client: MultiServerClient, write: (text: string) => void): Promise<void> {
  const result = await client.callTool('everything__echo', { message: 'first call' });
  const replica = result._meta?.[ANSWERED_BY.replica];
  const seconds = (performance.now() / 1000).toFixed(2);
  write(
    `first routed call after ${seconds} s (everything__echo, answered by ${String(replica ?? 'an unnamed replica')})`,
  );
}

function printCatalog(client: MultiServerClient, write: (text: string) => void): void {
  const snapshot = client.snapshot();
  const rows = snapshot.servers.map((server) => [
    server.name,
    String(server.replicas.length),
    [...new Set(server.replicas.map((replica) => replica.transport.split(':')[0]))].join(', '),
    [...new Set(server.replicas.map((replica) => replica.source))].join(', '),
    String(server.capabilities.tools),
  ]);
  write(renderTable(['server', 'replicas', 'transport', 'found by', 'tools'], rows));
  const renamed = client
    .listTools()
    .map((tool) => tool.name)
    .filter((name) => name.includes('__'));
  write(
    `${client.listTools().length} tools federated; on a name conflict both are prefixed: ${renamed.slice(0, 4).join(', ')}`,
  );
}

function summaryTable(reports: readonly PhaseReport[]): string {
  const ms = (value: number | undefined) =>
    value === undefined || Number.isNaN(value) ? '-' : value.toFixed(1);
  return renderTable(
    ['phase', 'calls', 'ok', 'failed', 'p50 ms', 'p99 ms', 'outcome'],
    reports.map((row) => [
      row.phase,
      String(row.calls),
      String(row.ok),
      String(row.failed),
      ms(row.p50),
      ms(row.p99),
      row.outcome,
    ]),
  );
}
