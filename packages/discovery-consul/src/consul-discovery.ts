import {
  type BackoffOptions,
  type Clock,
  checkNumber,
  createDiscoverySource,
  type Discovery,
  DiscoveryError,
  delay,
  fullJitterDelay,
  InvalidOptionError,
  type Random,
  resolveBackoff,
  systemClock,
  systemRandom,
} from '@mcpmx/core';
import { mapHealthEntries } from './mapping.js';
import { readBounded } from './read-bounded.js';

/** Options for {@link createConsulDiscovery}. */
export interface ConsulDiscoveryOptions {
  /** Consul HTTP API base URL, e.g. `http://127.0.0.1:8500`. */
  url: string;
  /** Consul service name to watch. */
  service: string;
  /** Logical mcpmx server name for the endpoints. Default: the service name. */
  server?: string;
  /** Only entries with this tag (Consul `tag` filter); several tags must all match. */
  tag?: string | readonly string[];
  /** Only entries whose checks all pass (Consul `passing`). Default true. */
  passingOnly?: boolean;
  /** Blocking-query wait, in ms (Consul caps it at 10 minutes). Default 30 000. */
  waitMs?: number;
  /** ACL token, sent as `X-Consul-Token`. */
  token?: string;
  /** Minimum time between two requests, in ms (rate limit). Default 1000. */
  minIntervalMs?: number;
  /** Backoff after errors (full jitter). Default core's DEFAULT_BACKOFF. */
  backoff?: BackoffOptions;
  /** Extra time beyond wait + wait/16 before a request is abandoned, in ms. Default 5000. */
  requestGraceMs?: number;
  /** Discovery id. Default `consul:<service>`. */
  id?: string;
  clock?: Clock;
  random?: Random;
  /** fetch implementation. Default the global fetch. */
  fetch?: typeof fetch;
  /** Largest response body read, in bytes; a larger one is an error. Default 16 MiB. */
  maxResponseBytes?: number;
}

const MAX_WAIT_MS = 10 * 60_000;

/**
 * Watches a Consul service through `/v1/health/service/<name>` with blocking queries.
 * The first request sends no index; later ones send the last `X-Consul-Index` and `wait`.
 * An index that goes backwards is reset to 0 (the next request is non-blocking); an index
 * below 1 is never sent. Requests are at least `minIntervalMs` apart. On errors it emits
 * 'error', keeps the last good set and backs off with full jitter. Emits 'update' when the
 * mapped set changes. `stop()` aborts the in-flight request and clears every timer.
 */
export function createConsulDiscovery(options: ConsulDiscoveryOptions): Discovery {
  if (typeof options.url !== 'string' || !URL.canParse(options.url)) {
    throw new InvalidOptionError('url', 'an absolute http(s) URL', options.url);
  }
  const base = new URL(options.url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new InvalidOptionError('url', 'an http: or https: URL', options.url);
  }
  if (typeof options.service !== 'string' || options.service.trim() === '') {
    throw new InvalidOptionError('service', 'a non-empty string', options.service);
  }
  const server = options.server ?? options.service;
  if (typeof server !== 'string' || server === '') {
    throw new InvalidOptionError('server', 'a non-empty string', options.server);
  }
  const tags =
    options.tag === undefined
      ? []
      : typeof options.tag === 'string'
        ? [options.tag]
        : [...options.tag];
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag === '')
      throw new InvalidOptionError('tag', 'a non-empty string', tag);
  }
  const waitMs = checkNumber('waitMs', options.waitMs ?? 30_000, { min: 1, max: MAX_WAIT_MS });
  const minIntervalMs = checkNumber('minIntervalMs', options.minIntervalMs ?? 1000, { min: 0 });
  const graceMs = checkNumber('requestGraceMs', options.requestGraceMs ?? 5000, { min: 0 });
  const maxResponseBytes = checkNumber(
    'maxResponseBytes',
    options.maxResponseBytes ?? 16 * 1024 * 1024,
    { min: 1 },
  );
  const backoff = resolveBackoff(options.backoff);
  const passingOnly = options.passingOnly ?? true;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const doFetch = options.fetch ?? globalThis.fetch;
  const id = options.id ?? `consul:${options.service}`;
  const fail = (message: string, cause?: unknown) =>
    new DiscoveryError(id, message, { server, cause });
  /** Each run's last X-Consul-Index, keyed by the run's signal: a run starts from 0. */
  const indexes = new WeakMap<AbortSignal, number>();

  const buildUrl = (index: number): string => {
    const url = new URL(
      `v1/health/service/${encodeURIComponent(options.service)}`,
      withSlash(base),
    );
    if (passingOnly) url.searchParams.set('passing', 'true');
    for (const tag of tags) url.searchParams.append('tag', tag);
    if (index >= 1) {
      url.searchParams.set('index', String(index));
      url.searchParams.set('wait', `${Math.round(waitMs)}ms`);
    }
    return url.href;
  };

  const request = async (index: number, signal: AbortSignal) => {
    const timeout = new AbortController();
    const onAbort = () => timeout.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const limit = index >= 1 ? waitMs + waitMs / 16 + graceMs : graceMs + 10_000;
    const timer = clock.setTimeout(
      () => timeout.abort(fail(`Consul did not answer within ${limit} ms`)),
      limit,
    );
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (options.token) headers['x-consul-token'] = options.token;
      let response: Response;
      try {
        response = await doFetch(buildUrl(index), { headers, signal: timeout.signal });
      } catch (error) {
        if (DiscoveryError.isInstance(timeout.signal.reason) && !signal.aborted)
          throw timeout.signal.reason;
        throw error;
      }
      const text = await readBounded(response, maxResponseBytes, id);
      if (!response.ok) {
        throw fail(`Consul answered HTTP ${response.status}: ${text.slice(0, 200)}`);
      }
      const header = response.headers.get('x-consul-index');
      const nextIndex = header === null ? Number.NaN : Number(header);
      if (!Number.isSafeInteger(nextIndex) || nextIndex < 0) {
        throw fail(
          `Consul response has no valid X-Consul-Index header (got ${JSON.stringify(header)})`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (cause) {
        throw fail('Consul response body is not JSON', cause);
      }
      if (!Array.isArray(body)) throw fail('Consul response body is not a JSON array');
      return { nextIndex, body };
    } finally {
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  };

  return createDiscoverySource({
    id,
    clock,
    toError: (error) =>
      DiscoveryError.isInstance(error)
        ? error
        : fail(
            `Consul request failed: ${error instanceof Error ? error.message : String(error)}`,
            error,
          ),

    /** One request: blocking on the run's last index once it has one. One complete set. */
    async fetch(signal) {
      const index = indexes.get(signal) ?? 0;
      const { nextIndex, body } = await request(index, signal);
      // Consul: reset when the index goes backwards; never send an index below 1.
      indexes.set(signal, nextIndex < index ? 0 : nextIndex);
      return mapHealthEntries(body, { service: options.service, server, source: id });
    },

    /**
     * The blocking-query loop: requests at least minIntervalMs apart, each one blocking until
     * Consul's index moves; after a failure a full-jitter backoff, reset by a success.
     */
    watch(run) {
      const loop = async () => {
        let attempt = 0;
        let lastRequestAt = Number.NEGATIVE_INFINITY;
        try {
          while (run.active) {
            const since = clock.now() - lastRequestAt;
            if (since < minIntervalMs) {
              await delay(clock, minIntervalMs - since, { signal: run.signal });
            }
            lastRequestAt = clock.now();
            if (await run.refresh()) {
              attempt = 0;
              continue;
            }
            if (!run.active) return;
            const wait = fullJitterDelay(attempt, backoff, random);
            attempt += 1;
            await delay(clock, wait, { signal: run.signal });
          }
        } catch {
          // A wait aborted by stop(): the run is over.
        }
      };
      const done = loop();
      return () => done;
    },
  });
}

function withSlash(url: URL): URL {
  const copy = new URL(url.href);
  if (!copy.pathname.endsWith('/')) copy.pathname = `${copy.pathname}/`;
  return copy;
}
