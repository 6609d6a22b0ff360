import {
  type BackoffOptions,
  type Clock,
  createEmitter,
  createOneShotTimer,
  type DiscoveredSet,
  type Discovery,
  DiscoveryError,
  type DiscoveryEvents,
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

function describeError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Discovers MCP endpoints from JSON records under an etcd v3 key prefix. It lists the prefix,
 * then watches from the listing's revision + 1. The etcd3 watcher resumes from the last seen
 * revision after a reconnect, so changes are neither lost nor duplicated; if that revision was
 * compacted away the discovery lists the prefix again. Malformed values become SkippedRecords
 * naming the key. While etcd is unreachable it emits 'error' and keeps the last good set.
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

  const emitter = createEmitter<DiscoveryEvents>();
  const entries = new Map<string, Entry>();
  let client: Etcd3 | undefined = options.client;
  let watcher: Watcher | undefined;
  let current: DiscoveredSet | undefined;
  let running = false;
  let generation = 0;
  let failing = false;
  let attempt = 0;
  const retryTimer = createOneShotTimer(clock);

  function applyKv(kv: IKeyValue): void {
    const key = kv.key.toString();
    const parsed = parseEndpointRecord(kv.value.toString(), {
      id: `${id}/${key}`,
      source: id,
      server: options.server,
      allowStdio: options.allowStdio ?? false,
    });
    entries.set(
      key,
      typeof parsed === 'string'
        ? { skipped: { record: key, reason: parsed } }
        : { endpoint: parsed },
    );
  }

  function emitSet(): void {
    const endpoints: EndpointDescriptor[] = [];
    const skipped: SkippedRecord[] = [];
    for (const key of [...entries.keys()].sort()) {
      const entry = entries.get(key);
      if (entry && 'endpoint' in entry) endpoints.push(entry.endpoint);
      else if (entry) skipped.push(entry.skipped);
    }
    current = { source: id, endpoints, skipped, at: clock.now() };
    emitter.emit('update', current);
  }

  function reportError(error: unknown, what: string): void {
    const cause = describeError(error);
    emitter.emit('error', {
      source: id,
      error: new DiscoveryError(
        id,
        `${what} under ${JSON.stringify(prefix)} failed (${cause.message}); keeping the last known set. Check that etcd is reachable.`,
        { server: options.server, cause },
      ),
    });
  }

  function onWatchData(response: IWatchResponse): void {
    if (!running) return;
    for (const event of response.events) {
      if (event.type === 'Delete') entries.delete(event.kv.key.toString());
      else applyKv(event.kv);
    }
    if (response.events.length > 0) emitSet();
  }

  async function cancelWatcher(): Promise<void> {
    const old = watcher;
    watcher = undefined;
    if (!old) return;
    old.removeAllListeners();
    // Keep a no-op error listener so a late error from etcd3 cannot crash the process.
    old.on('error', () => {});
    await old.cancel().catch(() => {});
  }

  /** Lists the prefix and (re)creates the watch from the listing's revision + 1. */
  async function listAndWatch(): Promise<void> {
    const mine = generation;
    try {
      if (!client) throw new Error('no etcd client');
      const response = await client.getAll().prefix(prefix).exec();
      if (!running || mine !== generation) return;
      entries.clear();
      for (const kv of response.kvs) applyKv(kv);
      const startRevision = (BigInt(response.header.revision) + 1n).toString();
      const created = await client.watch().prefix(prefix).startRevision(startRevision).create();
      if (!running || mine !== generation) {
        await created.cancel().catch(() => {});
        return;
      }
      await cancelWatcher();
      watcher = created;
      created.on('data', onWatchData);
      created.on('disconnected', (error) => {
        if (!running || failing) return;
        failing = true;
        reportError(error, 'watch');
      });
      created.on('connected', () => {
        failing = false;
      });
      created.on('error', (error) => {
        // Non-recoverable (for example the revision was compacted): list again.
        if (!running || watcher !== created) return;
        reportError(error, 'watch');
        void cancelWatcher().then(() => scheduleRelist());
      });
      failing = false;
      attempt = 0;
      emitSet();
    } catch (error) {
      if (!running || mine !== generation) return;
      failing = true;
      reportError(error, 'listing');
      scheduleRelist();
    }
  }

  function scheduleRelist(): void {
    if (!running) return;
    const delay = fullJitterDelay(attempt, retry, random);
    attempt += 1;
    retryTimer.schedule(delay, () => void listAndWatch());
  }

  return {
    id,
    async start() {
      if (running) return;
      running = true;
      generation += 1;
      if (!client) {
        const hosts =
          typeof options.hosts === 'string' ? [options.hosts] : [...(options.hosts ?? [])];
        client = new Etcd3({ hosts, dialTimeout: 5_000 });
      }
      await listAndWatch();
    },
    async stop() {
      if (!running) return;
      running = false;
      generation += 1;
      retryTimer.cancel();
      if (ownsClient && client) {
        // Closing our own client ends the watch stream; no cancel round trip to wait for.
        watcher?.removeAllListeners();
        watcher?.on('error', () => {});
        watcher = undefined;
        client.close();
        client = undefined;
      } else {
        await cancelWatcher();
      }
    },
    current: () => current,
    on: (event, listener) => emitter.on(event, listener),
  };
}
