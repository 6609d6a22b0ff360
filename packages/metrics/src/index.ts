export type { Metrics, MetricsOptions } from './create-metrics.js';
export { BREAKER_STATE_VALUES, createMetrics } from './create-metrics.js';
export { createLabelGuard, OTHER_LABEL_VALUE } from './label-guard.js';
