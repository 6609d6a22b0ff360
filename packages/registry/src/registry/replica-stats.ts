/** Counters and latency for one replica, as a plain JSON object. */
export interface ReplicaStatsSnapshot {
  successes: number;
  errors: number;
  inFlight: number;
  /** Time-weighted EWMA of request latency in ms; undefined before the first sample. */
  ewmaLatencyMs: number | undefined;
  /** Latency of the most recent completed request, in ms. */
  lastLatencyMs: number | undefined;
}

/** How a request ended, for {@link ReplicaStats.recordEnd}. */
export interface RequestEnd {
  ok: boolean;
  latencyMs: number;
}

/**
 * Success/error counts, in-flight requests and a time-weighted EWMA of latency. The EWMA
 * decays by elapsed time, not by sample count: `w = exp(-Δt/τ)`, `ewma = ewma·w + rtt·(1-w)`,
 * so a quiet replica's old latency fades at the same rate as a busy one's.
 */
export class ReplicaStats {
  private successes = 0;
  private errors = 0;
  private inFlight = 0;
  private ewma: number | undefined;
  private last: number | undefined;
  private lastSampleAt = 0;

  constructor(private readonly decayMs: number) {}

  recordStart(): void {
    this.inFlight++;
  }

  /** Records a finished request at time `now`. Ignores a call with nothing in flight. */
  recordEnd(end: RequestEnd, now: number): void {
    if (this.inFlight > 0) this.inFlight--;
    if (end.ok) this.successes++;
    else this.errors++;
    const rtt = Math.max(0, end.latencyMs);
    this.last = rtt;
    if (this.ewma === undefined) {
      this.ewma = rtt;
    } else {
      const weight = Math.exp(-Math.max(0, now - this.lastSampleAt) / this.decayMs);
      this.ewma = this.ewma * weight + rtt * (1 - weight);
    }
    this.lastSampleAt = now;
  }

  snapshot(): ReplicaStatsSnapshot {
    return {
      successes: this.successes,
      errors: this.errors,
      inFlight: this.inFlight,
      ewmaLatencyMs: this.ewma,
      lastLatencyMs: this.last,
    };
  }
}
