export type { ConformanceOptions } from './conformance.js';
export { describeDiscoveryConformance } from './conformance.js';
export type { DiscoveryHarness, FixtureEndpoint } from './harness.js';
export { nextEvent } from './next-event.js';
