export { CacheKeyError, cacheKey } from './cache/cache-key.js';
export type { LruCacheOptions } from './cache/lru-cache.js';
export { createLruCache } from './cache/lru-cache.js';
export type {
  CacheableCall,
  CacheEvent,
  ResultCache,
  ResultCacheOptions,
} from './cache/result-cache.js';
export { createResultCache } from './cache/result-cache.js';
export type {
  FanOutOptions,
  FanOutResult,
  FanOutStrategy,
  TargetCall,
  TargetResult,
} from './fan-out/fan-out.js';
export { fanOut } from './fan-out/fan-out.js';
export {
  FanOutFailedError,
  TargetFailedError,
  TargetTimeoutError,
} from './fan-out/fan-out-errors.js';
