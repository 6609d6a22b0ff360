import type { Balancer, BalancerCandidate } from '@mcpmx/core';
import { usable } from './candidates.js';

/** Takes the available candidates in turn. */
export function createRoundRobin(): Balancer {
  let next = 0;
  return {
    name: 'round-robin',
    pick<C extends BalancerCandidate>(candidates: readonly C[]): C | undefined {
      const pool = usable(candidates);
      if (pool.length === 0) return undefined;
      const choice = pool[next % pool.length];
      next = (next + 1) % Number.MAX_SAFE_INTEGER;
      return choice;
    },
    onEnd: () => undefined,
    remove: () => undefined,
  };
}
