import { type Balancer, type BalancerCandidate, type Random, systemRandom } from '@mcpmx/core';
import { pickOfTwo } from './power-of-two.js';

/** Power of two choices by fewest requests in flight. */
export function createLeastOutstanding(options: { random?: Random } = {}): Balancer {
  const random = options.random ?? systemRandom;
  const pending = new Map<string, number>();
  return {
    name: 'least-outstanding',
    pick: <C extends BalancerCandidate>(candidates: readonly C[]) =>
      pickOfTwo(candidates, random, (candidate) => pending.get(candidate.id) ?? 0),
    onStart: (id) => {
      pending.set(id, (pending.get(id) ?? 0) + 1);
    },
    onEnd: (id) => {
      pending.set(id, Math.max(0, (pending.get(id) ?? 0) - 1));
    },
    remove: (id) => {
      pending.delete(id);
    },
  };
}
