import {
  type Balancer,
  type BalancerCandidate,
  checkNumber,
  type Random,
  systemRandom,
} from '@mcpmx/core';
import { usable, weightOf } from './candidates.js';

export interface ConsistentHashOptions {
  /** Points on the ring per unit of weight. Default 160. */
  virtualNodes?: number;
  /** Used only for calls without an affinity key. */
  random?: Random;
}

/** 32-bit FNV-1a with a final avalanche (murmur3 fmix32), for even spread on the ring. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

interface Ring {
  key: string;
  points: Uint32Array;
  owners: string[];
}

/**
 * Consistent hashing by `PickContext.affinityKey` on a ring with virtual nodes (Karger et al.;
 * Envoy's ring hash): a key goes to the first point clockwise from its hash. Adding one of N
 * endpoints moves about 1/N of the keys, and a key moves only when its endpoint leaves or is
 * ejected. Calls without a key are spread at random.
 */
export function createConsistentHash(options: ConsistentHashOptions = {}): Balancer {
  const virtualNodes = checkNumber('virtualNodes', options.virtualNodes ?? 160, {
    min: 1,
    integer: true,
  });
  const random = options.random ?? systemRandom;
  let ring: Ring | undefined;

  const build = (candidates: readonly BalancerCandidate[]): Ring => {
    const key = candidates.map((c) => `${c.id}:${weightOf(c)}`).join('|');
    if (ring?.key === key) return ring;
    const entries: [number, string][] = [];
    for (const candidate of candidates) {
      const points = Math.max(1, Math.round(virtualNodes * weightOf(candidate)));
      for (let i = 0; i < points; i++) entries.push([hash32(`${candidate.id}#${i}`), candidate.id]);
    }
    entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    ring = {
      key,
      points: Uint32Array.from(entries.map((entry) => entry[0])),
      owners: entries.map((entry) => entry[1]),
    };
    return ring;
  };

  return {
    name: 'consistent-hash',
    pick<C extends BalancerCandidate>(
      candidates: readonly C[],
      context?: { affinityKey?: string },
    ): C | undefined {
      const pool = usable(candidates);
      if (pool.length === 0) return undefined;
      if (context?.affinityKey === undefined) return pool[Math.floor(random.next() * pool.length)];
      const { points, owners } = build(pool);
      const target = hash32(context.affinityKey);
      let low = 0;
      let high = points.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((points[middle] as number) < target) low = middle + 1;
        else high = middle;
      }
      const owner = owners[low === points.length ? 0 : low];
      return pool.find((candidate) => candidate.id === owner);
    },
    onEnd: () => undefined,
    remove: () => {
      ring = undefined;
    },
  };
}
