import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { testServers } from '@mcpmx/tooling-test-servers';
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

/** `--rounds` and `--seconds` from the command line (defaults 5 and 2). */
export function roundsFromArgs(): { rounds: number; durationMs: number } {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '2' },
    },
  });
  return { rounds: Number(values.rounds), durationMs: Number(values.seconds) * 1000 };
}

/** server-everything over stdio, as a command and arguments. */
export function everythingCommand(): { command: string; args: string[] } {
  const entry = createRequire(import.meta.url).resolve(
    '@modelcontextprotocol/server-everything/dist/index.js',
  );
  return { command: process.execPath, args: [entry, 'stdio'] };
}

/**
 * Warms every client up, then measures each at each concurrency in `rounds` interleaved
 * rounds, rotating the order every round so no client always runs first. Returns the median
 * calls/s per client and concurrency, keyed `<name>@<concurrency>`.
 */
export async function interleavedMedians(
  clients: Record<string, () => Promise<unknown>>,
  options: { rounds: number; durationMs: number; concurrencies: readonly number[] },
): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>();
  for (const call of Object.values(clients)) await throughput(call, 16, 500);
  for (let round = 0; round < options.rounds; round++) {
    for (const concurrency of options.concurrencies) {
      const names = Object.keys(clients);
      for (let i = 0; i < round % names.length; i++) names.push(names.shift() as string);
      for (const name of names) {
        const rate = await throughput(
          clients[name] as () => Promise<unknown>,
          concurrency,
          options.durationMs,
        );
        const key = `${name}@${concurrency}`;
        samples.set(key, [...(samples.get(key) ?? []), rate]);
      }
    }
  }
  return new Map([...samples].map(([key, values]) => [key, median(values)]));
}

/** Three (or `count`) replicas of the fault test server over stdio, with extra environment. */
export function faultReplicas(env: Record<string, string>, count = 3) {
  return Array.from({ length: count }, (_, i) => ({
    id: `fault#${i}`,
    server: 'fault',
    transport: {
      type: 'stdio' as const,
      command: process.execPath,
      args: [testServers.fault],
      env,
    },
  }));
}
