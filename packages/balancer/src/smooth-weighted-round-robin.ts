import type { Balancer, BalancerCandidate } from '@mcpmx/core';
import { usable, weightOf } from './candidates.js';

/**
 * nginx's smooth weighted round-robin: each pick adds every candidate's weight to its
 * running value, takes the largest, and subtracts the total from it. Weights 5,1,1 give
 * a,a,b,a,c,a,a: spread out, not bunched.
 */
export function createSmoothWeightedRoundRobin(): Balancer {
  const current = new Map<string, number>();
  return {
    name: 'smooth-weighted-round-robin',
    pick<C extends BalancerCandidate>(candidates: readonly C[]): C | undefined {
      const pool = usable(candidates);
      let total = 0;
      let best: C | undefined;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (const candidate of pool) {
        const weight = weightOf(candidate);
        total += weight;
        const value = (current.get(candidate.id) ?? 0) + weight;
        current.set(candidate.id, value);
        if (value > bestValue) {
          bestValue = value;
          best = candidate;
        }
      }
      if (best) current.set(best.id, bestValue - total);
      return best;
    },
    onEnd: () => undefined,
    remove: (id) => {
      current.delete(id);
    },
  };
}
