import { type Clock, systemClock } from './clock.js';
import type { DiscoveredSet, Discovery, DiscoveryEvents, SkippedRecord } from './discovery.js';
import { createEmitter } from './emitter.js';
import type { EndpointDescriptor } from './endpoint.js';
import { describeValue, InvalidOptionError } from './errors.js';
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

/**
 * One problem found in a discovery record, in the shape of a zod issue (zod itself is not
 * needed): where, and what was expected there as `message` ("a number >= 0"). Unknown keys
 * come as zod's `unrecognized_keys`, with `keys`.
 */
export interface RecordIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly keys?: readonly string[];
}

/** Options for {@link describeRecordIssues}. */
export interface DescribeRecordIssuesOptions {
  /** Put before every path (`"TXT "` gives `TXT path must be ...`). Default none. */
  prefix?: string;
  /** Names the record itself, for a problem at its root. Default `value`. */
  root?: string;
  /** The keys allowed at a path, for unknown keys: listed and used for a did-you-mean. */
  knownKeys?(path: readonly PropertyKey[]): readonly string[];
}

const MAX_SEGMENT = 40;

function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else {
      const name = String(segment);
      text += `${text ? '.' : ''}${name.length > MAX_SEGMENT ? `${name.slice(0, MAX_SEGMENT - 3)}...` : name}`;
    }
  }
  return text;
}

function valueAt(record: unknown, path: readonly PropertyKey[]): unknown {
  let value = record;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) {
      return undefined;
    }
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/**
 * The reason of a SkippedRecord: the first problem as `<path> must be <expected> (got <found>)`,
 * the found value read from `record` at that path and quoted briefly; an unknown key as
 * `<path> is not a known key (did you mean "weight"?); expected one of ...`. Further problems
 * are counted, not listed, so a reason stays short however broken the record is.
 */
export function describeRecordIssues(
  issues: readonly RecordIssue[],
  record: unknown,
  options: DescribeRecordIssuesOptions = {},
): string {
  const [issue] = issues;
  if (!issue) return `${options.root ?? 'value'} is invalid`;
  const prefix = options.prefix ?? '';
  const subject = (path: readonly PropertyKey[]) =>
    path.length === 0 ? (options.root ?? 'value') : `${prefix}${pathText(path)}`;
  let reason: string;
  if (issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0) {
    const key = issue.keys[0] as string;
    const known = options.knownKeys?.(issue.path) ?? [];
    const guess = didYouMean(key, known);
    reason =
      `${subject([...issue.path, key])} is not a known key` +
      (guess ? ` (did you mean ${JSON.stringify(guess)}?)` : '') +
      (known.length > 0 ? `; expected one of ${known.join(', ')}` : '');
  } else {
    const found = describeValue(valueAt(record, issue.path));
    reason = `${subject(issue.path)} must be ${issue.message} (got ${found})`;
  }
  const more = issues.length - 1 + Math.max(0, (issue.keys?.length ?? 1) - 1);
  return more > 0 ? `${reason} (and ${more} more problem${more === 1 ? '' : 's'})` : reason;
}

/** Longest key compared for a suggestion: no record key is that long, and the work stays small. */
const MAX_KEY_LENGTH = 64;

/**
 * The known key `key` was most likely meant to be: case ignored, a swap of two neighbouring
 * letters counting as one edit (optimal string alignment), at most 2 edits and fewer for
 * short keys (`ab` never suggests `tags`).
 */
function didYouMean(key: string, candidates: readonly string[]): string | undefined {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) return undefined;
  const bound = Math.min(2, Math.floor(key.length / 3));
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = bound + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - key.length) > bound) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] as number) + 1);
      }
      current.push(value);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}
