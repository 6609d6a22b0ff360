import type { MultiServerClient } from '@mcpmx/client';
import { McpmxError, quantile } from '@mcpmx/core';

/** What a bounded closed-loop load did. */
export interface LoadResult {
  calls: number;
  ok: number;
  failed: number;
  /** Distinct failure messages, with how often each happened. */
  errors: Map<string, number>;
  /** Milliseconds per call, ascending. */
  latencies: number[];
  /** Calls per replica, from the client's request-end events. */
  byReplica: Map<string, number>;
}

export interface LoadOptions {
  client: MultiServerClient;
  /** At most this many calls. */
  calls: number;
  concurrency: number;
  call: (index: number) => Promise<unknown>;
  /** Checked before each call: true stops the load early (the calls in flight finish). */
  stopWhen?: () => boolean;
  onProgress?: (done: number) => void;
}

/**
 * Runs at most `calls` calls, `concurrency` at a time, and counts what happened. A call fails if
 * it throws or returns a tool error (`isError`).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = {
    calls: 0,
    ok: 0,
    failed: 0,
    errors: new Map(),
    latencies: [],
    byReplica: new Map(),
  };
  const stopCounting = options.client.on('request-end', (event) => {
    if (event.method === 'tools/call' && event.outcome === 'success') {
      result.byReplica.set(event.replica, (result.byReplica.get(event.replica) ?? 0) + 1);
    }
  });
  let next = 0;
  const worker = async () => {
    while (next < options.calls && !options.stopWhen?.()) {
      const index = next++;
      const started = performance.now();
      try {
        const value = (await options.call(index)) as { isError?: boolean } | undefined;
        if (value?.isError) throw new Error('the tool returned an error');
        result.ok++;
      } catch (error) {
        result.failed++;
        const message = McpmxError.isInstance(error)
          ? `${error.code}: ${error.message}`
          : error instanceof Error
            ? error.message
            : String(error);
        result.errors.set(message, (result.errors.get(message) ?? 0) + 1);
      }
      result.latencies.push(performance.now() - started);
      result.calls++;
      options.onProgress?.(result.calls);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    stopCounting();
  }
  result.latencies.sort((a, b) => a - b);
  return result;
}

/** p50 and p99 in milliseconds, rounded to 0.1. */
export function latencySummary(latencies: readonly number[]): { p50: number; p99: number } {
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50: round(quantile(latencies, 0.5)), p99: round(quantile(latencies, 0.99)) };
}
