/**
 * When each replica was unavailable, as the soak itself caused it (killed, behind a
 * resetting, blackholed or half-open proxy, removed from discovery), and from that the
 * moments when no replica of a server was up. A read-only call may fail with a typed error
 * only if its lifetime overlaps such a moment.
 *
 * A fault's end is widened by `graceMs`: after a replica is back, the client needs a moment
 * to notice (reconnect backoff, a half-open breaker probe, a fresh handshake).
 */
export class Availability {
  private readonly intervals = new Map<string, [number, number][]>();
  private readonly open = new Map<string, number>();

  constructor(
    private readonly replicasByServer: ReadonlyMap<string, readonly string[]>,
    private readonly graceMs: number,
  ) {}

  /** The replica becomes unavailable at `at`; returns the function that ends it. */
  begin(replica: string, at: number): (at: number) => void {
    this.open.set(replica, (this.open.get(replica) ?? 0) + 1);
    const interval: [number, number] = [at, Number.POSITIVE_INFINITY];
    const list = this.intervals.get(replica) ?? [];
    list.push(interval);
    this.intervals.set(replica, list);
    let ended = false;
    return (end) => {
      if (ended) return;
      ended = true;
      interval[1] = end + this.graceMs;
      this.open.set(replica, (this.open.get(replica) ?? 1) - 1);
    };
  }

  /** Has the replica an unavailability that has not ended? */
  isFaulted(replica: string): boolean {
    return (this.open.get(replica) ?? 0) > 0;
  }

  /** Replicas with a fault that never ended. */
  unended(): string[] {
    return [...this.open].filter(([, count]) => count > 0).map(([replica]) => replica);
  }

  /** Intervals during which every replica of `server` was unavailable. */
  allDown(server: string): [number, number][] {
    const replicas = this.replicasByServer.get(server) ?? [];
    let result: [number, number][] | undefined;
    for (const replica of replicas) {
      const mine = merge(this.intervals.get(replica) ?? []);
      result = result === undefined ? mine : intersect(result, mine);
    }
    return result ?? [];
  }

  /** Was every replica of `server` unavailable at some moment in [from, to]? */
  wasAllDown(server: string, from: number, to: number): boolean {
    return this.allDown(server).some(([start, end]) => start <= to && end >= from);
  }

  /** Total ms during which `server` had no replica up, clipped to [from, to]. */
  allDownMs(server: string, from: number, to: number): number {
    return this.allDown(server).reduce(
      (sum, [start, end]) => sum + Math.max(0, Math.min(end, to) - Math.max(start, from)),
      0,
    );
  }
}

function merge(intervals: readonly [number, number][]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function intersect(a: [number, number][], b: [number, number][]): [number, number][] {
  const result: [number, number][] = [];
  for (const [aStart, aEnd] of a) {
    for (const [bStart, bEnd] of b) {
      const start = Math.max(aStart, bStart);
      const end = Math.min(aEnd, bEnd);
      if (start < end) result.push([start, end]);
    }
  }
  return result;
}
