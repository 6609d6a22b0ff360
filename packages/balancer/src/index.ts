export type { ConsistentHashOptions } from './consistent-hash.js';
export { createConsistentHash } from './consistent-hash.js';
export { createLeastOutstanding } from './least-outstanding.js';
export type { PeakEwmaOptions } from './peak-ewma.js';
export { createP2cPeakEwma, DEFAULT_PEAK_EWMA } from './peak-ewma.js';
export { createRandomBalancer } from './random-balancer.js';
export { createRoundRobin } from './round-robin.js';
export { createSmoothWeightedRoundRobin } from './smooth-weighted-round-robin.js';
