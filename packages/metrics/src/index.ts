export type { Metrics, MetricsOptions } from './create-metrics.js';
export { createMetrics } from './create-metrics.js';
