import type { Random } from '@mcpmx/core';

/** A standard normal draw (Box–Muller). */
export function normal(random: Random): number {
  const u = Math.max(random.next(), Number.MIN_VALUE);
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal with the given median and shape σ: heavy-tailed, like real service latency. */
export function logNormal(random: Random, medianMs: number, sigma: number): number {
  return medianMs * Math.exp(sigma * normal(random));
}

/** Exponential inter-arrival time for a Poisson process of `ratePerMs`. */
export function exponential(random: Random, ratePerMs: number): number {
  return -Math.log(1 - random.next()) / ratePerMs;
}
