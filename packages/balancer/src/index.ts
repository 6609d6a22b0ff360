export type { ConsistentHashOptions } from './consistent-hash.js';
export { createConsistentHash, hash32 } from './consistent-hash.js';
export { createLeastOutstanding } from './least-outstanding.js';
export type { PeakEwmaOptions } from './peak-ewma.js';
export { createP2cPeakEwma, DEFAULT_PEAK_EWMA } from './peak-ewma.js';
export { MAX_REPICKS, pickOfTwo } from './power-of-two.js';
export { createRandomBalancer } from './random-balancer.js';
export { createRoundRobin } from './round-robin.js';
export { createSmoothWeightedRoundRobin } from './smooth-weighted-round-robin.js';
