import { createRequire } from 'node:module';
import { testServers } from '@mcpmx/tooling-test-servers';

/** Calls per second of `call` with `concurrency` workers for `durationMs`, closed loop. */
export async function throughput(
  call: () => Promise<unknown>,
  concurrency: number,
  durationMs: number,
): Promise<number> {
  return (await closedLoop(call, concurrency, durationMs)).rate;
}

/**
 * A closed loop of `call`: calls per second, and this process's CPU time (user + system) per
 * call in µs. The servers run in child processes, so the CPU figure is the client side alone,
 * and it moves far less with scheduling noise than the rate does.
 */
export async function closedLoop(
  call: () => Promise<unknown>,
  concurrency: number,
  durationMs: number,
): Promise<{ rate: number; cpuMicrosPerCall: number }> {
  const deadline = performance.now() + durationMs;
  let completed = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await call();
      completed++;
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  return {
    rate: (completed * 1000) / (performance.now() - started),
    cpuMicrosPerCall: (used.user + used.system) / Math.max(1, completed),
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
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

/** server-everything over stdio, as a command and arguments. */
export function everythingCommand(): { command: string; args: string[] } {
  const entry = createRequire(import.meta.url).resolve(
    '@modelcontextprotocol/server-everything/dist/index.js',
  );
  return { command: process.execPath, args: [entry, 'stdio'] };
}

export interface InterleavedResult {
  /** Median calls/s per client and concurrency, keyed `<name>@<concurrency>`. */
  medians: Map<string, number>;
  /** Median client-process CPU µs per call, same keys. */
  cpuMedians: Map<string, number>;
  /** Every round's calls/s, same keys, in round order. */
  samples: Map<string, number[]>;
}

/**
 * Warms every client up, then measures each at each concurrency in `rounds` interleaved
 * rounds, rotating the order every round so no client always runs first.
 */
export async function interleaved(
  clients: Record<string, () => Promise<unknown>>,
  options: {
    rounds: number;
    durationMs: number;
    concurrencies: readonly number[];
    warmupMs?: number;
  },
): Promise<InterleavedResult> {
  const samples = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  for (const call of Object.values(clients)) await throughput(call, 16, options.warmupMs ?? 500);
  for (let round = 0; round < options.rounds; round++) {
    for (const concurrency of options.concurrencies) {
      const names = Object.keys(clients);
      for (let i = 0; i < round % names.length; i++) names.push(names.shift() as string);
      for (const name of names) {
        const { rate, cpuMicrosPerCall } = await closedLoop(
          clients[name] as () => Promise<unknown>,
          concurrency,
          options.durationMs,
        );
        const key = `${name}@${concurrency}`;
        samples.set(key, [...(samples.get(key) ?? []), rate]);
        cpu.set(key, [...(cpu.get(key) ?? []), cpuMicrosPerCall]);
      }
    }
  }
  return {
    medians: new Map([...samples].map(([key, values]) => [key, median(values)])),
    cpuMedians: new Map([...cpu].map(([key, values]) => [key, median(values)])),
    samples,
  };
}

/** Per-round ratios `a / b` of two sample series measured in the same rounds. */
export function roundRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((value, i) => value / (b[i] ?? Number.NaN));
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

/** A small seeded PRNG (mulberry32), so synthetic data and shuffles are the same every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
