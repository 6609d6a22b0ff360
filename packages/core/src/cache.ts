/** A bounded key-value cache with per-entry TTL. Implementations: LRU in @mcpmx/aggregator. */
export interface Cache<V = unknown> {
  get(key: string): V | undefined;
  set(key: string, value: V, ttlMs?: number): void;
  delete(key: string): boolean;
  clear(): void;
  readonly size: number;
}
