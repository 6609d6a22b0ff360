export type { ConformanceOptions } from './conformance.js';
export { describeDiscoveryConformance } from './conformance.js';
export type { DiscoveryHarness, FixtureEndpoint } from './harness.js';
export { nextEvent } from './next-event.js';
export { requireSystemBinary } from './system-binary.js';
export type { StartDaemonOptions } from './system-daemon.js';
export { startDaemon, stopDaemon } from './system-daemon.js';
