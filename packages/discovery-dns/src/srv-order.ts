import type { Random } from '@mcpmx/core';

/** One SRV record as Node's `resolveSrv` returns it. */
export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/**
 * Orders SRV records per RFC 2782: lowest priority first; within a priority, a weighted random
 * draw without replacement. Weight-0 records are placed first in each priority's list before
 * the running sums are taken, so they get a small chance whenever the total weight is 0 or r
 * lands on 0. Returns a new array; the input is not changed.
 */
export function orderSrvRecords<T extends SrvRecord>(records: readonly T[], random: Random): T[] {
  const byPriority = new Map<number, T[]>();
  for (const record of records) {
    const group = byPriority.get(record.priority);
    if (group) group.push(record);
    else byPriority.set(record.priority, [record]);
  }
  const ordered: T[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    const group = byPriority.get(priority) ?? [];
    // Weight-0 records first, as the RFC asks; stable otherwise.
    const remaining = [
      ...group.filter((record) => record.weight === 0),
      ...group.filter((record) => record.weight !== 0),
    ];
    while (remaining.length > 0) {
      let total = 0;
      for (const record of remaining) total += record.weight;
      // r uniform in [0, total] (inclusive): scale into total + 1 integer slots when integral.
      const r = Math.min(total, Math.floor(random.next() * (total + 1)));
      let running = 0;
      let chosen = remaining.length - 1;
      for (let index = 0; index < remaining.length; index += 1) {
        running += remaining[index]?.weight ?? 0;
        if (running >= r) {
          chosen = index;
          break;
        }
      }
      const [picked] = remaining.splice(chosen, 1);
      if (picked) ordered.push(picked);
    }
  }
  return ordered;
}
