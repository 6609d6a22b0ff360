import { quantile, type Random } from '@mcpmx/core';

export interface RollingWindowOptions {
  /** Width of one interval. */
  intervalMs: number;
  /** Completed intervals kept. */
  intervals: number;
  /** Latency samples kept per interval; beyond it a uniform reservoir sample is kept. */
  maxSamplesPerInterval: number;
  random: Random;
}

export interface IntervalSummary {
  /** Start of the interval. */
  start: number;
  count: number;
  errors: number;
  /** Nearest-rank percentiles of the interval's latencies; null when it had none. */
  p50: number | null;
  p99: number | null;
}

interface Slot {
  index: number;
  count: number;
  errors: number;
  samples: number[];
  summary: IntervalSummary | undefined;
}

/**
 * Request counts and latency percentiles per fixed interval over the last `intervals`
 * intervals. Memory is bounded: a ring of `intervals + 1` slots (the extra one fills while the
 * others are read), each holding at most `maxSamplesPerInterval` latencies.
 */
export interface RollingWindow {
  record(at: number, latencyMs: number, failed: boolean): void;
  /** The last `intervals` completed intervals before `now`, oldest first, empty ones included. */
  summaries(now: number): IntervalSummary[];
}

export function createRollingWindow(options: RollingWindowOptions): RollingWindow {
  const { intervalMs, intervals, maxSamplesPerInterval, random } = options;
  const slots: Slot[] = Array.from({ length: intervals + 1 }, () => ({
    index: Number.NEGATIVE_INFINITY,
    count: 0,
    errors: 0,
    samples: [],
    summary: undefined,
  }));
  const indexOf = (at: number) => Math.floor(at / intervalMs);
  const slotOf = (index: number) => slots[((index % slots.length) + slots.length) % slots.length];

  return {
    record(at, latencyMs, failed) {
      const index = indexOf(at);
      const slot = slotOf(index) as Slot;
      if (slot.index > index) return; // older than the window
      if (slot.index !== index) {
        slot.index = index;
        slot.count = 0;
        slot.errors = 0;
        slot.samples = [];
        slot.summary = undefined;
      }
      slot.count++;
      slot.summary = undefined;
      if (failed) slot.errors++;
      if (slot.samples.length < maxSamplesPerInterval) slot.samples.push(latencyMs);
      else {
        const pick = Math.floor(random.next() * slot.count);
        if (pick < maxSamplesPerInterval) slot.samples[pick] = latencyMs;
      }
    },
    summaries(now) {
      const current = indexOf(now);
      const result: IntervalSummary[] = [];
      for (let index = current - intervals; index < current; index++) {
        const slot = slotOf(index) as Slot;
        if (slot.index !== index) {
          result.push({ start: index * intervalMs, count: 0, errors: 0, p50: null, p99: null });
          continue;
        }
        // A completed interval rarely changes again, so its summary is kept until it does.
        slot.summary ??= summarize(slot, intervalMs);
        result.push(slot.summary);
      }
      return result;
    },
  };
}

function summarize(slot: Slot, intervalMs: number): IntervalSummary {
  const sorted = [...slot.samples].sort((a, b) => a - b);
  return {
    start: slot.index * intervalMs,
    count: slot.count,
    errors: slot.errors,
    p50: sorted.length > 0 ? quantile(sorted, 0.5) : null,
    p99: sorted.length > 0 ? quantile(sorted, 0.99) : null,
  };
}
