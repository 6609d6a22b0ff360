import {
  type BackoffOptions,
  type Clock,
  createDiscoverySource,
  createOneShotTimer,
  type Discovery,
  DiscoveryError,
  type DiscoveryResult,
  type EndpointDescriptor,
  fullJitterDelay,
  InvalidOptionError,
  type Random,
  resolveBackoff,
  type SkippedRecord,
  systemClock,
  systemRandom,
} from '@mcpmx/core';
import { Etcd3, type IKeyValue, type IWatchResponse, type Watcher } from 'etcd3';
import { parseEndpointRecord } from './endpoint-record.js';

/** Options for {@link createEtcdDiscovery}. Give `client` or `hosts`. */
export interface EtcdDiscoveryOptions {
  /** An etcd3 client you own; the discovery does not close it. */
  client?: Etcd3;
  /** etcd endpoints, e.g. `http://127.0.0.1:2379`; the discovery creates and closes a client. */
  hosts?: string | readonly string[];
  /** The key prefix to list and watch, e.g. `/mcpmx/servers/files/`. */
  prefix: string;
  /** Logical server name for records that do not carry `server`. */
  server?: string;
  /** Backoff between retries of the initial listing (and re-listings). Default 1 s, x2, 30 s. */
  retry?: BackoffOptions;
  /** Discovery id. Default `etcd:<prefix>`. */
  id?: string;
  /**
   * Accept records with a `stdio` transport. Default false: anyone who can write under the
   * prefix could otherwise make every client run a command of their choosing.
   */
  allowStdio?: boolean;
  clock?: Clock;
  random?: Random;
}

type Entry = { endpoint: EndpointDescriptor } | { skipped: SkippedRecord };

/** One listing of the prefix: its entries by key, and the revision to watch from. */
interface Listing {
  entries: Map<string, Entry>;
  watchFrom: string;
}

/**
 * Discovers MCP endpoints from JSON records under an etcd v3 key prefix. It lists the prefix,
 * then watches from the listing's revision + 1. The etcd3 watcher resumes from the last seen
 * revision after a reconnect, so changes are neither lost nor duplicated; if that revision was
 * compacted away the discovery lists the prefix again. Malformed values become SkippedRecords
 * naming the key. While etcd is unreachable it emits 'error' and keeps the last good set.
 * The lifecycle (run state, last good set, update only on change) is core's
 * createDiscoverySource; this file is the listing (fetch) and the etcd watch.
 */
export function createEtcdDiscovery(options: EtcdDiscoveryOptions): Discovery {
  if (typeof options?.prefix !== 'string' || options.prefix.length === 0) {
    throw new InvalidOptionError('prefix', 'a non-empty key prefix', options?.prefix);
  }
  if (options.client === undefined && options.hosts === undefined) {
    throw new InvalidOptionError('hosts', 'etcd URLs (or pass client)', options.hosts);
  }
  if (options.client !== undefined && options.hosts !== undefined) {
    throw new InvalidOptionError('hosts', 'absent when client is given', options.hosts);
  }
  if (options.server !== undefined && (typeof options.server !== 'string' || !options.server)) {
    throw new InvalidOptionError('server', 'a non-empty logical server name', options.server);
  }
  const retry = resolveBackoff(options.retry, 'retry');
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const prefix = options.prefix;
  const id = options.id ?? `etcd:${prefix}`;
  const ownsClient = options.client === undefined;
  let client: Etcd3 | undefined = options.client;

  function entryOf(kv: IKeyValue): Entry {
    const key = kv.key.toString();
    const parsed = parseEndpointRecord(kv.value.toString(), {
      id: `${id}/${key}`,
      source: id,
      server: options.server,
      allowStdio: options.allowStdio ?? false,
    });
    return typeof parsed === 'string'
      ? { skipped: { record: key, reason: parsed } }
      : { endpoint: parsed };
  }

  function setOf(entries: ReadonlyMap<string, Entry>): DiscoveryResult {
    const endpoints: EndpointDescriptor[] = [];
    const skipped: SkippedRecord[] = [];
    for (const key of [...entries.keys()].sort()) {
      const entry = entries.get(key);
      if (entry && 'endpoint' in entry) endpoints.push(entry.endpoint);
      else if (entry) skipped.push(entry.skipped);
    }
    return { endpoints, skipped };
  }

  function failure(what: string, error: unknown): DiscoveryError {
    const cause = error instanceof Error ? error : undefined;
    const message = cause?.message ?? String(error);
    return new DiscoveryError(
      id,
      `${what} under ${JSON.stringify(prefix)} failed (${message}); keeping the last known set. Check that etcd is reachable.`,
      { server: options.server, cause: error },
    );
  }

  /** Lists the prefix: one complete set, and the revision a watch starts from. */
  async function list(): Promise<Listing> {
    const reader = client;
    if (!reader) throw new DiscoveryError(id, 'the discovery is stopped; no etcd client');
    const response = await reader.getAll().prefix(prefix).exec();
    const entries = new Map<string, Entry>();
    for (const kv of response.kvs) entries.set(kv.key.toString(), entryOf(kv));
    return { entries, watchFrom: (BigInt(response.header.revision) + 1n).toString() };
  }

  return createDiscoverySource({
    id,
    clock,
    toError: (error) => (DiscoveryError.isInstance(error) ? error : failure('listing', error)),
    // One complete set. The watch below lists through list() itself, since it must create the
    // watch from the listing's revision before it publishes the listing.
    fetch: async () => setOf((await list()).entries),

    watch(run) {
      if (!client) {
        const hosts =
          typeof options.hosts === 'string' ? [options.hosts] : [...(options.hosts ?? [])];
        client = new Etcd3({ hosts, dialTimeout: 5_000 });
      }
      const runClient = client;
      const retryTimer = createOneShotTimer(clock);
      let watcher: Watcher | undefined;
      let failing = false;
      let attempt = 0;

      async function cancelWatcher(): Promise<void> {
        const old = watcher;
        watcher = undefined;
        if (!old) return;
        old.removeAllListeners();
        // Keep a no-op error listener so a late error from etcd3 cannot crash the process.
        old.on('error', () => {});
        await old.cancel().catch(() => {});
      }

      function scheduleRelist(): void {
        if (!run.active) return;
        const delay = fullJitterDelay(attempt, retry, random);
        attempt += 1;
        retryTimer.schedule(delay, () => void listAndWatch());
      }

      /**
       * Lists the prefix, (re)creates the watch from the listing's revision, then publishes the
       * listing: once a set is out, changes after it are being watched.
       */
      async function listAndWatch(): Promise<void> {
        let listing: Listing;
        let created: Watcher;
        try {
          listing = await list();
          if (!run.active) return;
          created = await runClient
            .watch()
            .prefix(prefix)
            .startRevision(listing.watchFrom)
            .create();
        } catch (error) {
          if (!run.active) return;
          run.fail(error);
          failing = true;
          scheduleRelist();
          return;
        }
        if (!run.active) {
          await created.cancel().catch(() => {});
          return;
        }
        await cancelWatcher();
        watcher = created;
        const { entries } = listing;
        created.on('data', (response: IWatchResponse) => {
          if (!run.active) return;
          for (const event of response.events) {
            const key = event.kv.key.toString();
            if (event.type === 'Delete') entries.delete(key);
            else entries.set(key, entryOf(event.kv));
          }
          if (response.events.length > 0) run.publish(setOf(entries));
        });
        created.on('disconnected', (error) => {
          if (!run.active || failing) return;
          failing = true;
          run.fail(failure('watch', error));
        });
        created.on('connected', () => {
          failing = false;
        });
        created.on('error', (error) => {
          // Non-recoverable (for example the revision was compacted): list again.
          if (!run.active || watcher !== created) return;
          run.fail(failure('watch', error));
          void cancelWatcher().then(() => scheduleRelist());
        });
        failing = false;
        attempt = 0;
        run.publish(setOf(entries));
      }

      void listAndWatch();
      return async () => {
        retryTimer.cancel();
        if (ownsClient) {
          // Closing our own client ends the watch stream; no cancel round trip to wait for.
          watcher?.removeAllListeners();
          watcher?.on('error', () => {});
          watcher = undefined;
          runClient.close();
          if (client === runClient) client = undefined;
        } else {
          await cancelWatcher();
        }
      };
    },
  });
}
