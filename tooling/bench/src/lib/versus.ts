import type { Contender } from './contenders.js';
import { type InterleavedResult, interleaved, median, roundRatios } from './measure.js';
import { fixed, range, ratio, type Table } from './report.js';

/** Contenders by name, built one after another (each may start its own servers). */
export type ContenderFactories = Record<string, () => Promise<Contender>>;

/**
 * Builds every contender, runs them in interleaved rounds (see `interleaved`) at each
 * concurrency, and closes them all, also on failure.
 */
export async function runContenders(
  factories: ContenderFactories,
  schedule: {
    rounds: number;
    durationMs: number;
    warmupMs: number;
    concurrencies: readonly number[];
  },
): Promise<InterleavedResult> {
  const built = new Map<string, Contender>();
  try {
    for (const [name, make] of Object.entries(factories)) built.set(name, await make());
    const calls = Object.fromEntries(
      [...built].map(([name, contender]) => {
        let i = 0;
        return [name, () => contender.call(i++)];
      }),
    );
    return await interleaved(calls, schedule);
  } finally {
    await Promise.all([...built.values()].map((contender) => contender.close()));
  }
}

/** The figures of one contender at one concurrency, against the baseline's in the same rounds. */
export interface Versus {
  rate: number;
  cpu: number;
  /** Median of the per-round throughput ratios over the baseline. */
  rateRatio: number;
  /** Spread (see `range`) of those per-round ratios. */
  rounds: number[];
  cpuRatio: number;
}

export function versus(
  result: InterleavedResult,
  name: string,
  baseline: string,
  concurrency: number,
): Versus {
  const series = (of: string) => result.samples.get(`${of}@${concurrency}`) ?? [];
  const cpu = (of: string) => result.cpuMedians.get(`${of}@${concurrency}`) ?? Number.NaN;
  const rounds = roundRatios(series(name), series(baseline));
  return {
    rate: result.medians.get(`${name}@${concurrency}`) ?? Number.NaN,
    cpu: cpu(name),
    rateRatio: median(rounds),
    rounds,
    cpuRatio: cpu(name) / cpu(baseline),
  };
}

/**
 * Two tables for a scenario: calls/s with each contender's ratio to the baseline (median of
 * per-round ratios, and their spread), and client-process CPU µs per call with its ratio.
 */
export function versusTables(
  result: InterleavedResult,
  names: readonly string[],
  baseline: string,
  concurrencies: readonly number[],
  label = '',
): Table[] {
  const others = names.filter((name) => name !== baseline);
  const prefix = label === '' ? [] : ['scenario'];
  const scenario = label === '' ? [] : [label];
  return [
    {
      headers: [
        ...prefix,
        'in flight',
        ...names.map((name) => `${name} calls/s`),
        ...others.map((name) => `${name} / ${baseline} (per-round spread)`),
      ],
      rows: concurrencies.map((concurrency) => [
        ...scenario,
        String(concurrency),
        ...names.map((name) => fixed(versus(result, name, baseline, concurrency).rate)),
        ...others.map((name) => {
          const v = versus(result, name, baseline, concurrency);
          return `${ratio(v.rateRatio)} (${range(v.rounds)})`;
        }),
      ]),
    },
    {
      headers: [
        ...prefix,
        'in flight',
        ...names.map((name) => `${name} CPU µs/call`),
        ...others.map((name) => `${name} / ${baseline}`),
      ],
      rows: concurrencies.map((concurrency) => [
        ...scenario,
        String(concurrency),
        ...names.map((name) => fixed(versus(result, name, baseline, concurrency).cpu, 1)),
        ...others.map((name) => ratio(versus(result, name, baseline, concurrency).cpuRatio)),
      ]),
    },
  ];
}
