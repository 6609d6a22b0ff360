import { type Clock, systemClock } from './clock.js';
import type { DiscoveredSet, Discovery, DiscoveryEvents, SkippedRecord } from './discovery.js';
import { createEmitter } from './emitter.js';
import type { EndpointDescriptor } from './endpoint.js';
import { InvalidOptionError } from './errors.js';
import { DiscoveryError } from './routing-errors.js';

/** One complete set as a backend reads it; the lifecycle stamps `source` and `at`. */
export interface DiscoveryResult {
  endpoints: readonly EndpointDescriptor[];
  skipped: readonly SkippedRecord[];
}

/**
 * One run of a discovery source, from `start()` to `stop()`: what a backend's `watch` is given.
 * Everything a stale run does (after `stop()`, or once a later `start()` began) is dropped.
 */
export interface DiscoveryRun {
  /** False once this run has ended: stop working and rescheduling. */
  readonly active: boolean;
  /** Aborted when this run ends (its reason is a DiscoveryError), for requests and waits. */
  readonly signal: AbortSignal;
  /** Reads one set with `fetch` and publishes it, or reports what it threw. True on success. */
  refresh(): Promise<boolean>;
  /**
   * Publishes a complete set. It is emitted as 'update' (and becomes `current()`) only when it
   * differs from the last set emitted; the first set of a run, and the first after an error,
   * are always emitted.
   */
  publish(result: DiscoveryResult): void;
  /** Reports a failure as 'error'; the last good set stays `current()`. */
  fail(error: unknown): void;
}

/** Options for {@link createDiscoverySource}. */
export interface DiscoverySourceOptions {
  /** The discovery id, and the `source` of every set. */
  id: string;
  /** Stamps `at` on each set. Default the system clock. */
  clock?: Clock;
  /** Reads one complete set from the source. Throws when the source cannot be read. */
  fetch(signal: AbortSignal): Promise<DiscoveryResult>;
  /**
   * Begins one run: reads the first set (usually `run.refresh()`) and arranges how changes
   * arrive (a refresh timer, a blocking-query loop, a watch stream). It must publish or fail
   * at least once, since `start()` resolves on the first of those. Returns the teardown
   * `stop()` awaits: cancel timers and watches, close what the run opened.
   */
  watch(run: DiscoveryRun): (() => void | Promise<void>) | undefined;
  /**
   * Makes the Error an 'error' event carries from what `fetch` threw or `fail` got. Default:
   * a DiscoveryError is kept; anything else is wrapped in one naming the source.
   */
  toError?(error: unknown): Error;
}

/** An order-free fingerprint of a set: endpoints and skipped records, each sorted. */
function signatureOf(result: DiscoveryResult): string {
  const endpoints = result.endpoints.map((endpoint) => JSON.stringify(endpoint)).sort();
  const skipped = result.skipped.map((skip) => JSON.stringify([skip.record, skip.reason])).sort();
  return JSON.stringify([endpoints, skipped]);
}

/**
 * The lifecycle every discovery backend shares, in one place: the running state, the run that
 * results belong to (so a stopped or superseded run publishes nothing), the last good set,
 * emitting 'update' only on change, the 'error' event, and `start()` resolving on the first
 * set or error. A backend supplies `fetch` (one complete set) and `watch` (how changes arrive)
 * and keeps its own policy: backoff, rate limits, which errors to report.
 */
export function createDiscoverySource(options: DiscoverySourceOptions): Discovery {
  if (typeof options?.id !== 'string' || options.id.length === 0) {
    throw new InvalidOptionError('id', 'a non-empty discovery id', options?.id);
  }
  const { id } = options;
  const clock = options.clock ?? systemClock;
  const toError =
    options.toError ??
    ((error: unknown): Error =>
      DiscoveryError.isInstance(error)
        ? error
        : new DiscoveryError(id, error instanceof Error ? error.message : String(error), {
            cause: error,
          }));
  const emitter = createEmitter<DiscoveryEvents>();
  let current: DiscoveredSet | undefined;
  let lastSignature: string | undefined;
  let active: { end(): void; teardown: (() => void | Promise<void>) | undefined } | undefined;

  function begin(): Promise<void> {
    let live = true;
    let settle: (() => void) | undefined;
    const first = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const settled = () => {
      settle?.();
      settle = undefined;
    };
    const controller = new AbortController();
    const run: DiscoveryRun = {
      get active() {
        return live;
      },
      signal: controller.signal,
      async refresh() {
        let result: DiscoveryResult;
        try {
          result = await options.fetch(controller.signal);
        } catch (error) {
          run.fail(error);
          return false;
        }
        if (!live) return false;
        run.publish(result);
        return true;
      },
      publish(result) {
        if (!live) return;
        const signature = signatureOf(result);
        if (signature !== lastSignature) {
          lastSignature = signature;
          current = {
            source: id,
            endpoints: result.endpoints,
            skipped: result.skipped,
            at: clock.now(),
          };
          emitter.emit('update', current);
        }
        settled();
      },
      fail(error) {
        if (!live) return;
        // The next good set is emitted even if it equals the last one: the source is back.
        lastSignature = undefined;
        emitter.emit('error', { source: id, error: toError(error) });
        settled();
      },
    };
    const handle: NonNullable<typeof active> = {
      end() {
        live = false;
        controller.abort(new DiscoveryError(id, 'discovery stopped'));
        settled();
      },
      teardown: undefined,
    };
    active = handle;
    // Each run emits its first set, even one equal to what an earlier run emitted.
    lastSignature = undefined;
    try {
      handle.teardown = options.watch(run) ?? undefined;
    } catch (error) {
      run.fail(error);
    }
    return first;
  }

  return {
    id,
    async start() {
      if (active) return;
      await begin();
    },
    async stop() {
      const ending = active;
      if (!ending) return;
      active = undefined;
      ending.end();
      await ending.teardown?.();
    },
    current: () => current,
    on: (event, listener) => emitter.on(event, listener),
  };
}
