import {
  type CapabilityKind,
  type Clock,
  createOneShotTimer,
  fullJitterDelay,
  type ListChangedKind,
  McpmxError,
  NameConflictError,
  type OneShotTimer,
  type Random,
  type ServerCapabilities,
} from '@mcpmx/core';
import { buildCatalog, type Catalog, type ServerCatalog } from './catalog.js';
import { type CatalogChange, catalogChange } from './catalog-change.js';
import { createDebouncer } from './debounce.js';
import type { NamingOptions } from './federated-names.js';
import { advertises, type FetchedList } from './list-all.js';
import { combineHints, type ListHint } from './list-hints.js';
import { applyListPolicy, type ListPolicy } from './list-policy.js';

export const KINDS: readonly CapabilityKind[] = [
  'tools',
  'resources',
  'resourceTemplates',
  'prompts',
];
/** The lists a list_changed notification of each kind invalidates. */
const CHANGED: Record<ListChangedKind, readonly CapabilityKind[]> = {
  tools: ['tools'],
  resources: ['resources', 'resourceTemplates'],
  prompts: ['prompts'],
};
const METHOD_NOT_FOUND = -32601;
/** Waits before a failed list is fetched again: 1 s doubling to 30 s, full jitter, at least 250 ms. */
const RETRY_BACKOFF = { initialMs: 1000, factor: 2, maxMs: 30_000 };
const MIN_RETRY_MS = 250;

/** How one kind of one server's lists stands: `failed` keeps serving its last good items. */
export type ListStatus = 'pending' | 'ok' | 'failed' | 'unsupported';

export interface ListSnapshot {
  status: ListStatus;
  items: number;
  error?: string;
  fetchedAt?: number;
}

interface ListState {
  readonly items: readonly unknown[];
  readonly status: ListStatus;
  readonly hint?: ListHint;
  /** When the hint's lifetime ends (the list is then revalidated on its next access). */
  readonly expiresAt?: number;
  readonly error?: unknown;
  readonly fetchedAt?: number;
}

type ServerLists = Readonly<Record<CapabilityKind, ListState>>;

/** How the catalog state reaches servers: through each server's route. */
export interface CatalogFetcher {
  capabilities(server: string): Promise<ServerCapabilities | undefined>;
  list(server: string, kind: CapabilityKind): Promise<FetchedList>;
}

export interface CatalogStateOptions {
  clock: Clock;
  random: Random;
  naming: Required<NamingOptions>;
  /** Wait after a list_changed before refetching. */
  debounceMs: number;
  /** Longest a burst of list_changed can hold a refetch back. */
  maxWaitMs: number;
  fetcher: CatalogFetcher;
  /** After every rebuild: what it changed (servers that came and went, names that moved). */
  onChange(catalog: Catalog, change: CatalogChange): void;
  onError(error: unknown, server: string): void;
  /** A server's filters and tool overrides (its settings), applied at every rebuild. */
  policyOf?(server: string): ListPolicy | undefined;
  /** What in a server's policy matched nothing: told when that changes. */
  onUnmatched?(server: string, unmatched: readonly string[]): void;
}

/**
 * The federated catalog and everything that keeps it current, once: each server's lists are
 * fetched kind by kind (a failing kind keeps its last good list, is reported, and is fetched
 * again with backoff, while the others serve), merged into one Catalog (a naming conflict keeps
 * what was there), refetched on list_changed (debounced, with a maximum wait) and when a list's
 * `ttlMs` runs out (stale while revalidate: the old list serves until the new one arrives).
 */
export class CatalogState {
  catalog: Catalog;
  private lists = new Map<string, ServerLists>();
  private readonly debouncers = new Map<string, ReturnType<typeof createDebouncer>>();
  private readonly pendingKinds = new Map<string, Set<CapabilityKind>>();
  private readonly retries = new Map<string, { timer: OneShotTimer; failures: number }>();
  /** Servers with a list that has an expiry, so an access without hints costs one size check. */
  private readonly expiring = new Set<string>();
  private closed = false;
  /** Each server's last unmatched policy entries, so each change is told once. */
  private readonly unmatched = new Map<string, string>();

  constructor(private readonly options: CatalogStateOptions) {
    this.catalog = buildCatalog(new Map(), options.naming);
  }

  /** True until every list of the server has been fetched once (ok or unsupported). */
  needsFetch(server: string): boolean {
    const lists = this.lists.get(server);
    return (
      lists === undefined ||
      KINDS.some((kind) => lists[kind].status === 'pending' || lists[kind].status === 'failed')
    );
  }

  /** Fetches every server's lists, then merges them into one catalog: one build, not one each. */
  async fetchAll(servers: readonly string[]): Promise<void> {
    const staged = new Map<string, ServerLists>();
    await Promise.all(
      servers.map(async (server) => staged.set(server, await this.fetch(server, KINDS))),
    );
    this.adopt(staged);
    for (const [server, lists] of staged) {
      const failed = KINDS.find((kind) => lists[kind].status === 'failed');
      if (failed !== undefined) this.options.onError(lists[failed].error, server);
    }
  }

  /** Fetches the given kinds of one server now; rejects with the first failure, if any. */
  async refresh(server: string, kinds: readonly CapabilityKind[] = KINDS): Promise<void> {
    const next = await this.fetch(server, kinds);
    if (this.closed) return;
    this.adopt(new Map([[server, next]]));
    const failed = kinds.find((kind) => next[kind].status === 'failed');
    if (failed !== undefined) throw next[failed].error;
  }

  /** Refetches soon (debounced): after list_changed, a server that came up, or an expiry. */
  schedule(server: string, change?: ListChangedKind | readonly CapabilityKind[]): void {
    if (this.closed) return;
    const kinds =
      change === undefined ? KINDS : typeof change === 'string' ? CHANGED[change] : change;
    const pending = this.pendingKinds.get(server) ?? new Set<CapabilityKind>();
    this.pendingKinds.set(server, pending);
    for (const kind of kinds) pending.add(kind);
    let debouncer = this.debouncers.get(server);
    if (!debouncer) {
      debouncer = createDebouncer(
        this.options.clock,
        this.options.debounceMs,
        this.options.maxWaitMs,
        () => {
          const due = [...(this.pendingKinds.get(server) ?? [])];
          this.pendingKinds.delete(server);
          return this.refresh(server, due).catch((error: unknown) =>
            this.options.onError(error, server),
          );
        },
      );
      this.debouncers.set(server, debouncer);
    }
    debouncer.schedule();
  }

  /** A server whose last replica left: its lists leave the catalog. */
  remove(server: string): void {
    this.debouncers.get(server)?.cancel();
    this.debouncers.delete(server);
    this.pendingKinds.delete(server);
    this.retries.get(server)?.timer.cancel();
    this.retries.delete(server);
    this.expiring.delete(server);
    if (!this.lists.has(server)) return;
    const next = new Map(this.lists);
    next.delete(server);
    this.commit(next);
  }

  /** Returns `items` after revalidating, in the background, every list whose `ttlMs` ran out. */
  served<T>(items: T): T {
    if (this.expiring.size === 0) return items;
    const now = this.options.clock.now();
    for (const server of [...this.expiring]) {
      const lists = this.lists.get(server);
      const due = KINDS.filter(
        (kind) => (lists?.[kind].expiresAt ?? Number.POSITIVE_INFINITY) <= now,
      );
      if (due.length === 0) continue;
      this.expiring.delete(server);
      this.schedule(server, due);
    }
    return items;
  }

  /**
   * The caching hint for the federated list of a kind: the shortest remaining lifetime, private
   * if any is private; undefined when a server that lists items of this kind sent no hint.
   */
  cacheHint(kind: CapabilityKind): ListHint | undefined {
    let combined: ListHint | undefined = { ttlMs: Number.MAX_SAFE_INTEGER, cacheScope: 'public' };
    const now = this.options.clock.now();
    for (const lists of this.lists.values()) {
      const list = lists[kind];
      if (!list.hint && list.items.length === 0) continue;
      const left = Math.max(0, (list.expiresAt ?? now) - now);
      combined = combineHints(
        combined,
        list.hint && { ...list.hint, ttlMs: Math.min(list.hint.ttlMs, left) },
      );
    }
    return combined?.ttlMs === Number.MAX_SAFE_INTEGER ? undefined : combined;
  }

  /** What in the server's filters and overrides matched nothing, as of the last rebuild. */
  policyWarnings(server: string): readonly string[] {
    const said = this.unmatched.get(server);
    return said === undefined ? [] : said.split('\n');
  }

  snapshot(server: string): Record<CapabilityKind, ListSnapshot> {
    const lists = this.lists.get(server);
    const view = (kind: CapabilityKind): ListSnapshot => {
      const list = lists?.[kind];
      if (!list) return { status: 'pending', items: 0 };
      return {
        status: list.status,
        items: list.items.length,
        ...(list.error === undefined ? {} : { error: messageOf(list.error) }),
        ...(list.fetchedAt === undefined ? {} : { fetchedAt: list.fetchedAt }),
      };
    };
    return {
      tools: view('tools'),
      resources: view('resources'),
      resourceTemplates: view('resourceTemplates'),
      prompts: view('prompts'),
    };
  }

  close(): void {
    this.closed = true;
    for (const debouncer of this.debouncers.values()) debouncer.cancel();
    for (const retry of this.retries.values()) retry.timer.cancel();
    this.debouncers.clear();
    this.retries.clear();
  }

  /** Fetches `kinds` of one server, each on its own; what fails keeps its last good list. */
  private async fetch(server: string, kinds: readonly CapabilityKind[]): Promise<ServerLists> {
    const current = this.lists.get(server) ?? EMPTY;
    const now = () => this.options.clock.now();
    let capabilities: ServerCapabilities | undefined;
    let reachable: unknown;
    try {
      capabilities = await this.options.fetcher.capabilities(server);
    } catch (error) {
      reachable = error;
    }
    const results = await Promise.allSettled(
      kinds.map(async (kind): Promise<ListState> => {
        if (reachable !== undefined) throw reachable;
        if (!advertises(capabilities, kind)) return { items: [], status: 'unsupported' };
        const { items, hint } = await this.options.fetcher.list(server, kind);
        const at = now();
        return {
          items,
          status: 'ok',
          fetchedAt: at,
          ...(hint ? { hint, expiresAt: at + hint.ttlMs } : {}),
        };
      }),
    );
    const next: Record<CapabilityKind, ListState> = { ...current };
    const failed: CapabilityKind[] = [];
    results.forEach((result, index) => {
      const kind = kinds[index] as CapabilityKind;
      if (result.status === 'fulfilled') next[kind] = result.value;
      else if ((result.reason as { rpcCode?: number }).rpcCode === METHOD_NOT_FOUND) {
        next[kind] = { items: [], status: 'unsupported', fetchedAt: now() };
      } else {
        failed.push(kind);
        next[kind] = { ...current[kind], status: 'failed', error: result.reason };
      }
    });
    if (failed.length > 0) this.retryLater(server, failed);
    else this.retries.delete(server);
    return next;
  }

  private retryLater(server: string, kinds: readonly CapabilityKind[]): void {
    if (this.closed) return;
    const retry = this.retries.get(server) ?? {
      timer: createOneShotTimer(this.options.clock),
      failures: 0,
    };
    this.retries.set(server, retry);
    const delay = fullJitterDelay(retry.failures++, RETRY_BACKOFF, this.options.random);
    retry.timer.schedule(Math.max(MIN_RETRY_MS, delay), () => this.schedule(server, kinds));
  }

  /**
   * Makes the staged lists current and rebuilds the catalog once. When that makes a naming
   * conflict (naming "none"), each staged server is taken in name order only if it fits, so a
   * refresh keeps the lists it had and a newcomer that clashes stays out; the conflict is
   * reported, and thrown to the caller.
   */
  private adopt(staged: ReadonlyMap<string, ServerLists>): void {
    if (this.closed) return;
    const next = new Map(this.lists);
    for (const [server, lists] of staged) next.set(server, lists);
    try {
      this.commit(next);
      return;
    } catch (error) {
      if (!NameConflictError.isInstance(error)) throw error;
      let fitting = new Map(this.lists);
      for (const server of [...staged.keys()].sort()) {
        const trial = new Map(fitting).set(server, staged.get(server) as ServerLists);
        try {
          buildCatalog(this.toServerCatalogs(trial), this.options.naming, this.catalog);
          fitting = trial;
        } catch (conflict) {
          this.options.onError(conflict, server);
        }
      }
      this.commit(fitting);
      throw error;
    }
  }

  /**
   * Rebuilds the catalog from the lists it has, with each server's policy as it is now: after a
   * config reload changed filters or overrides, no server needs asking again.
   */
  reapplyPolicies(): void {
    if (!this.closed) this.commit(new Map(this.lists));
  }

  private toServerCatalogs(lists: ReadonlyMap<string, ServerLists>): Map<string, ServerCatalog> {
    const catalogs = new Map<string, ServerCatalog>();
    for (const [server, kinds] of lists) {
      const listed = {
        tools: kinds.tools.items,
        resources: kinds.resources.items,
        resourceTemplates: kinds.resourceTemplates.items,
        prompts: kinds.prompts.items,
      } as ServerCatalog;
      const { catalog, unmatched } = applyListPolicy(listed, this.options.policyOf?.(server));
      catalogs.set(server, catalog);
      const said = unmatched.join('\n');
      if ((this.unmatched.get(server) ?? '') !== said) {
        if (said === '') this.unmatched.delete(server);
        else this.unmatched.set(server, said);
        this.options.onUnmatched?.(server, unmatched);
      }
    }
    return catalogs;
  }

  private commit(next: Map<string, ServerLists>): void {
    const catalog = buildCatalog(this.toServerCatalogs(next), this.options.naming, this.catalog);
    const before = { catalog: this.catalog, servers: [...this.lists.keys()] };
    this.lists = next;
    this.catalog = catalog;
    this.expiring.clear();
    for (const [server, lists] of next) {
      if (KINDS.some((kind) => lists[kind].expiresAt !== undefined)) this.expiring.add(server);
    }
    this.options.onChange(catalog, catalogChange(before, { catalog, servers: [...next.keys()] }));
  }
}

const PENDING: ListState = { items: [], status: 'pending' };
const EMPTY: ServerLists = {
  tools: PENDING,
  resources: PENDING,
  resourceTemplates: PENDING,
  prompts: PENDING,
};

function messageOf(error: unknown): string {
  return McpmxError.isInstance(error) || error instanceof Error ? error.message : String(error);
}
