/** Request counters and a time-weighted EWMA of latency for one replica. */
export interface ReplicaStats {
  successes: number;
  errors: number;
  /** Exponentially weighted latency, decaying with elapsed time; undefined before any sample. */
  ewmaLatencyMs: number | undefined;
  lastLatencyMs: number | undefined;
}

/** Decay of the latency EWMA. */
export const LATENCY_DECAY_MS = 10_000;

/**
 * The counters of one replica, fed by the attempt outcomes of its route. The weight of the old
 * latency is `exp(-Δt/τ)`, so samples that arrive in bursts or after a long pause are weighted
 * by the time between them, not by their count.
 */
export class ReplicaCounters {
  private readonly values: ReplicaStats = {
    successes: 0,
    errors: 0,
    ewmaLatencyMs: undefined,
    lastLatencyMs: undefined,
  };
  private lastSampleAt: number | undefined;

  record(success: boolean, latencyMs: number, now: number): void {
    const values = this.values;
    if (success) values.successes++;
    else values.errors++;
    values.lastLatencyMs = latencyMs;
    values.ewmaLatencyMs =
      values.ewmaLatencyMs === undefined || this.lastSampleAt === undefined
        ? latencyMs
        : blend(values.ewmaLatencyMs, latencyMs, now - this.lastSampleAt);
    this.lastSampleAt = now;
  }

  snapshot(): ReplicaStats {
    return { ...this.values };
  }
}

function blend(previous: number, sample: number, elapsedMs: number): number {
  const weight = Math.exp(-Math.max(0, elapsedMs) / LATENCY_DECAY_MS);
  return previous * weight + sample * (1 - weight);
}
