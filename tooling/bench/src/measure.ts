/** Calls per second of `call` with `concurrency` workers for `durationMs`, closed loop. */
export async function throughput(
  call: () => Promise<unknown>,
  concurrency: number,
  durationMs: number,
): Promise<number> {
  const deadline = performance.now() + durationMs;
  let completed = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await call();
      completed++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (completed * 1000) / (performance.now() - started);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Describes the machine for the record in docs/benchmarks.md. */
export async function machine(): Promise<string> {
  const os = await import('node:os');
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Nearest-rank quantiles of unsorted values. */
export function quantiles(values: readonly number[], qs: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return qs.map(
    (q) =>
      sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ??
      Number.NaN,
  );
}
