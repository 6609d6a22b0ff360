export type { CircuitBreakerOptions } from './circuit-breaker.js';
export { createCircuitBreaker, DEFAULT_HALF_OPEN_AFTER } from './circuit-breaker.js';
export { defaultFailureClassifier } from './failure-classifier.js';
export type {
  CountWindowOptions,
  FailurePolicy,
  TimeWindowOptions,
} from './failure-policies.js';
export { consecutiveFailures, countWindow, timeWindow } from './failure-policies.js';
export type { OutlierDetectionOptions } from './outlier-detector.js';
export { createOutlierDetector, DEFAULT_OUTLIER_DETECTION } from './outlier-detector.js';
