import { fork } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { descendantPids } from '@mcpmx/tooling-test-servers';

// A run in a child process, watched by its parent: the child sends one report (after it has
// closed everything) and must then exit by itself. A process that cannot exit may be past
// running any JS at all (a starved event loop, or Node's own teardown spinning on a handle that
// never closes), so no timer inside it can notice: the parent has to.

/** What the child sends: its report, and the resources still active (beyond its start). */
type ChildMessage<R> =
  | { kind: 'report'; report: R; resources: string[] }
  | { kind: 'error'; message: string; stack?: string };

export interface WatchedChildOptions {
  /** Arguments for the child script. */
  args?: readonly string[];
  /** How long the child may take to exit after its report. */
  exitTimeoutMs: number;
  /** How long the child may take to report at all. */
  reportTimeoutMs: number;
}

export interface WatchedRun<R> {
  report: R;
  /** What went wrong after the report: no exit within the bound, or a failing exit. */
  violations: string[];
}

const countBy = (items: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
};

/** Resources active when this module loaded: the child's stdio, its IPC channel. */
const resourcesAtStart = countBy(process.getActiveResourcesInfo());

/**
 * Child side: sends `report` with the resources active beyond those at start, then lets go
 * of the IPC channel, so nothing of the protocol keeps the process alive.
 */
export function reportToParent<R>(report: R): void {
  const resources: string[] = [];
  for (const [type, count] of countBy(process.getActiveResourcesInfo())) {
    const extra = count - (resourcesAtStart.get(type) ?? 0);
    if (extra > 0) resources.push(extra === 1 ? type : `${type} x${extra}`);
  }
  send({ kind: 'report', report, resources });
}

/** Child side: the run failed before it had a report. */
export function reportErrorToParent(error: unknown): void {
  const { message, stack } =
    error instanceof Error ? error : { message: String(error), stack: undefined };
  send({ kind: 'error', message, stack });
}

function send<R>(message: ChildMessage<R>) {
  if (!process.send) throw new Error('reportToParent: this process has no parent IPC channel');
  process.send(message, () => process.disconnect());
}

/** CPU ticks (user + system) and state of a process, from /proc; undefined off Linux. */
function processStat(pid: number): { ticks: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function openSocketCount(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
      } catch {
        return false;
      }
    }).length;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * Parent side: runs `script` in a child process, waits for its report, then gives it
 * `exitTimeoutMs` to exit. A child that does not is killed, and the report carries a
 * violation saying so, with what the child still had open when it reported and what it does
 * now (running flat out, or sleeping on a handle). Rejects when the child fails or exits
 * before it reports, or does not report within `reportTimeoutMs` (then the child and its
 * descendants are killed).
 */
export function runWatchedChild<R>(
  script: string,
  options: WatchedChildOptions,
): Promise<WatchedRun<R>> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [...(options.args ?? [])], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    let received: Extract<ChildMessage<R>, { kind: 'report' }> | undefined;
    let failure: Error | undefined;
    const violations: string[] = [];
    let exitTimer: NodeJS.Timeout | undefined;
    let reportedAt: { at: number; stat: ReturnType<typeof processStat> } | undefined;
    // Only a child that did spawn has a pid; never signal one that did not.
    const kill = (withDescendants: boolean) => {
      const pid = child.pid;
      if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const pids = withDescendants ? descendantPids(pid) : [];
      for (const target of [pid, ...pids]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    };
    const reportTimer = setTimeout(() => {
      failure = new Error(
        `${script} did not report within ${options.reportTimeoutMs} ms; killed it and its child processes`,
      );
      kill(true);
    }, options.reportTimeoutMs);

    child.on('message', (message: ChildMessage<R>) => {
      if (message.kind === 'error') {
        failure = new Error(`${script} failed: ${message.stack ?? message.message}`);
        return;
      }
      received = message;
      clearTimeout(reportTimer);
      const pid = child.pid as number;
      reportedAt = { at: performance.now(), stat: processStat(pid) };
      exitTimer = setTimeout(() => {
        const now = processStat(pid);
        const seconds = (performance.now() - (reportedAt?.at ?? 0)) / 1000;
        const cpu =
          now && reportedAt?.stat
            ? `, ${Math.round(((now.ticks - reportedAt.stat.ticks) / TICKS_PER_SECOND / seconds) * 100)} % of a core since its report`
            : '';
        const sockets = openSocketCount(pid);
        violations.push(
          `the process did not exit within ${options.exitTimeoutMs / 1000} s after close() (state ${now?.state ?? 'unknown'}${cpu}${sockets === undefined ? '' : `, ${sockets} socket${sockets === 1 ? '' : 's'} open`}); active resources at close: ${received?.resources.join(', ') || 'none'}`,
        );
        kill(false);
      }, options.exitTimeoutMs);
    });

    child.on('error', (error) => {
      failure ??= error;
      if (child.pid === undefined) {
        // It never started: no 'exit' follows.
        clearTimeout(reportTimer);
        reject(error);
      }
    });

    child.on('exit', (code, signal) => {
      clearTimeout(reportTimer);
      clearTimeout(exitTimer);
      if (failure) return reject(failure);
      if (!received) {
        return reject(
          new Error(`${script} exited (${signal ?? `code ${code}`}) before it reported`),
        );
      }
      if (violations.length === 0 && code !== 0) {
        violations.push(`the process exited with ${signal ?? `code ${code}`} after its report`);
      }
      resolve({ report: received.report, violations });
    });
  });
}
