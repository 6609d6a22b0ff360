export { CacheKeyError, cacheKey, canonicalJson } from './cache/cache-key.js';
export type {
  ListCache,
  ListCacheContext,
  ListCacheHints,
  ListCacheOptions,
} from './cache/list-cache.js';
export { createListCache } from './cache/list-cache.js';
export type { LruCacheOptions } from './cache/lru-cache.js';
export { createLruCache } from './cache/lru-cache.js';
export type {
  CacheableCall,
  CacheEvent,
  ResultCache,
  ResultCacheOptions,
} from './cache/result-cache.js';
export { createResultCache } from './cache/result-cache.js';
export type { Singleflight } from './cache/singleflight.js';
export { createSingleflight } from './cache/singleflight.js';
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
export type { MergeConflict, MergeOptions } from './fan-out/merge.js';
export { mergeLists } from './fan-out/merge.js';
