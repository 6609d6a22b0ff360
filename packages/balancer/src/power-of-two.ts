import type { BalancerCandidate, Random } from '@mcpmx/core';
import { healthierThenCheaper, isAvailable } from './candidates.js';

/** Re-draws allowed when both picks land on unavailable candidates (Finagle's P2C). */
export const MAX_REPICKS = 5;

/**
 * Power of two choices: draw two distinct candidates at random; the healthier wins, and
 * between equally healthy ones the lower `load` wins. A draw where both are unavailable is
 * redone up to MAX_REPICKS times; after that the best available candidate is found by a scan,
 * so an available candidate is always chosen when there is one.
 */
export function pickOfTwo<C extends BalancerCandidate>(
  candidates: readonly C[],
  random: Random,
  load: (candidate: C) => number,
): C | undefined {
  const count = candidates.length;
  if (count === 0) return undefined;
  if (count === 1) return candidates[0];
  let best: C | undefined;
  for (let draw = 0; draw <= MAX_REPICKS; draw++) {
    const first = Math.floor(random.next() * count);
    let second = Math.floor(random.next() * (count - 1));
    if (second >= first) second++;
    const a = candidates[first] as C;
    const b = candidates[second] as C;
    best = healthierThenCheaper(a, b, load);
    if (isAvailable(best)) return best;
  }
  // Unlucky draws among mostly unavailable candidates: scan for the best available one.
  for (const candidate of candidates) {
    if (best === undefined || (isAvailable(candidate) && !isAvailable(best))) best = candidate;
    else if (isAvailable(candidate)) best = healthierThenCheaper(best, candidate, load);
  }
  return best;
}
