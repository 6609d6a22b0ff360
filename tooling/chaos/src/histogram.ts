/**
 * Latency quantiles in constant memory: log-spaced buckets, 2% wide, from 0.01 ms up. A long
 * soak records millions of calls; keeping every sample would itself look like a leak.
 */
export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private static readonly growth = Math.log(1.02);

  record(ms: number): void {
    const bucket = Math.max(
      0,
      Math.ceil(Math.log(Math.max(ms, 0.01) / 0.01) / LatencyHistogram.growth),
    );
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /** The upper edge of the bucket holding quantile q (0..1), in ms; 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) ?? 0;
      if (seen >= rank) return 0.01 * Math.exp(bucket * LatencyHistogram.growth);
    }
    return 0;
  }
}
