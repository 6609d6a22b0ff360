import { type BalancerCandidate, healthRank } from '@mcpmx/core';

/** A candidate a balancer may send to: anything not known to be down. */
export function isAvailable(candidate: BalancerCandidate): boolean {
  return candidate.status !== 'down';
}

/** The candidates to choose among: the available ones, or all of them when none is. */
export function usable<C extends BalancerCandidate>(candidates: readonly C[]): readonly C[] {
  const available = candidates.filter(isAvailable);
  return available.length > 0 ? available : candidates;
}

/** Higher first: health rank, then the candidate with the lower load. */
export function healthierThenCheaper<C extends BalancerCandidate>(
  a: C,
  b: C,
  load: (candidate: C) => number,
): C {
  const rankA = healthRank(a.status);
  const rankB = healthRank(b.status);
  if (rankA !== rankB) return rankA > rankB ? a : b;
  return load(b) < load(a) ? b : a;
}

export function weightOf(candidate: BalancerCandidate): number {
  const weight = candidate.weight ?? 1;
  return Number.isFinite(weight) && weight > 0 ? weight : 0;
}
