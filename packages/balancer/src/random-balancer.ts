import { type Balancer, type BalancerCandidate, type Random, systemRandom } from '@mcpmx/core';
import { usable } from './candidates.js';

/** Uniformly random among the available candidates. */
export function createRandomBalancer(options: { random?: Random } = {}): Balancer {
  const random = options.random ?? systemRandom;
  return {
    name: 'random',
    pick<C extends BalancerCandidate>(candidates: readonly C[]): C | undefined {
      const pool = usable(candidates);
      return pool[Math.floor(random.next() * pool.length)];
    },
    onEnd: () => undefined,
    remove: () => undefined,
  };
}
