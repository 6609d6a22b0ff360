/** Request counters and a time-weighted EWMA of latency for one replica. */
export interface ReplicaStats {
  successes: number;
  errors: number;
  inFlight: number;
  /** Exponentially weighted latency, decaying with elapsed time; undefined before any sample. */
  ewmaLatencyMs: number | undefined;
  lastLatencyMs: number | undefined;
}

export function emptyStats(): ReplicaStats {
  return {
    successes: 0,
    errors: 0,
    inFlight: 0,
    ewmaLatencyMs: undefined,
    lastLatencyMs: undefined,
  };
}

/**
 * Folds one latency sample into the EWMA. The weight of the old value is `exp(-Δt/τ)`, so
 * samples that arrive in bursts or after a long pause are weighted by the time between them,
 * not by their count.
 */
export function updateEwma(
  previous: number | undefined,
  previousAt: number | undefined,
  sample: number,
  now: number,
  decayMs: number,
): number {
  if (previous === undefined || previousAt === undefined) return sample;
  const weight = Math.exp(-Math.max(0, now - previousAt) / decayMs);
  return previous * weight + sample * (1 - weight);
}
