import { InvalidOptionError, NameConflictError } from '@mcpmx/core';
import { stableHash } from './stable-hash.js';

/**
 * How names from many servers become one namespace:
 * - `prefix`: always `<server><separator><name>`;
 * - `prefix-on-conflict`: the bare name while only one server has it, prefixed otherwise; a
 *   name in use stays with its holder while the holder stays (only a newcomer is prefixed);
 * - `none`: bare names; two servers with one name is a NameConflictError.
 */
export type NamingPolicy = 'prefix' | 'prefix-on-conflict' | 'none';

export interface NamingOptions {
  policy?: NamingPolicy;
  /** Between server and name. Default `__`. */
  separator?: string;
  /** Longest federated name. Default 64, the limit many model APIs enforce. */
  maxLength?: number;
}

export interface NameOwner {
  server: string;
  /** The name as the server knows it. */
  name: string;
}

export const DEFAULT_NAMING: Required<NamingOptions> = {
  policy: 'prefix-on-conflict',
  separator: '__',
  maxLength: 64,
};

const VALID = /^[a-zA-Z0-9_-]+$/;
const HASH_LENGTH = 8;

export function resolveNaming(options: NamingOptions = {}): Required<NamingOptions> {
  const resolved = { ...DEFAULT_NAMING, ...options };
  if (!['prefix', 'prefix-on-conflict', 'none'].includes(resolved.policy)) {
    throw new InvalidOptionError(
      'naming.policy',
      '"prefix", "prefix-on-conflict" or "none"',
      resolved.policy,
    );
  }
  if (!VALID.test(resolved.separator)) {
    throw new InvalidOptionError(
      'naming.separator',
      'one or more of [a-zA-Z0-9_-]',
      resolved.separator,
    );
  }
  if (!Number.isInteger(resolved.maxLength) || resolved.maxLength < HASH_LENGTH + 8) {
    throw new InvalidOptionError(
      'naming.maxLength',
      `an integer >= ${HASH_LENGTH + 8}`,
      resolved.maxLength,
    );
  }
  return resolved;
}

/**
 * Assigns every (server, name) pair a federated name that matches `^[a-zA-Z0-9_-]{1,max}$`.
 * The result is a two-way table: a name too long or with foreign characters is shortened or
 * rewritten with a stable hash suffix, and looked up back through the table. The outcome does
 * not depend on the order of `owners`.
 *
 * No server can shadow another: when two pairs would end up with the same name, a pair that
 * carries its own server prefix keeps it, and every other claimant gets a hash suffix.
 *
 * Stable names (`previous`, the table this one replaces): under `prefix-on-conflict`, a pair
 * that had a name keeps that very name while it is still listed, so a name an agent holds does
 * not move under it. Only a newcomer is prefixed: when another newcomer wants the same name, or
 * the bare name is still held. A newcomer whose bare name is free takes it, even if a holder of
 * a prefixed `<server>__<name>` shares it. The shadowing rule above still wins over a held name.
 * Without `previous` (a first build) the outcome is as described at `NamingPolicy`.
 */
export function assignFederatedNames(
  owners: readonly NameOwner[],
  options: Required<NamingOptions>,
  previous?: ReadonlyMap<string, NameOwner>,
): Map<string, NameOwner> {
  const serversByName = new Map<string, Set<string>>();
  for (const owner of owners) {
    const set = serversByName.get(owner.name) ?? new Set<string>();
    set.add(owner.server);
    serversByName.set(owner.name, set);
  }
  if (options.policy === 'none') {
    for (const [name, servers] of serversByName) {
      if (servers.size > 1) throw new NameConflictError(name, [...servers].sort());
    }
  }

  const held = options.policy === 'prefix-on-conflict' ? heldNames(owners, previous) : undefined;
  // Newcomers by name: a name two newcomers want is prefixed for both.
  const newcomersByName = new Map<string, number>();
  for (const owner of owners) {
    if (held?.has(keyOf(owner))) continue;
    newcomersByName.set(owner.name, (newcomersByName.get(owner.name) ?? 0) + 1);
  }
  const heldCandidates = new Set(held?.values());

  const sorted = [...owners].sort((a, b) => compare(a.server, b.server) || compare(a.name, b.name));
  const claims = new Map<string, Claim[]>();
  for (const owner of sorted) {
    const own = `${owner.server}${options.separator}${owner.name}`;
    const kept = held?.get(keyOf(owner));
    let candidate: string;
    let ownsPrefix: boolean;
    if (kept !== undefined) {
      candidate = kept;
      ownsPrefix = kept === fit(own, owner, options.maxLength);
    } else {
      const shared =
        held === undefined
          ? (serversByName.get(owner.name)?.size ?? 0) > 1
          : (newcomersByName.get(owner.name) ?? 0) > 1 ||
            heldCandidates.has(fit(owner.name, owner, options.maxLength));
      ownsPrefix =
        options.policy === 'prefix' || (options.policy === 'prefix-on-conflict' && shared);
      candidate = fit(ownsPrefix ? own : owner.name, owner, options.maxLength);
    }
    const list = claims.get(candidate) ?? [];
    list.push({ owner, ownsPrefix, kept: kept !== undefined });
    claims.set(candidate, list);
  }

  const table = new Map<string, NameOwner>();
  const pending: NameOwner[] = [];
  for (const [candidate, list] of claims) {
    if (list.length === 1 && list[0]) {
      table.set(candidate, list[0].owner);
      continue;
    }
    // Collision. Only a single claimant under its own server prefix may keep the name; else
    // the one that held it before (held names are unique, so there is at most one).
    const owning = list.filter((claim) => claim.ownsPrefix);
    const keeper =
      owning.length === 1 ? owning[0] : owning.length === 0 ? list.find((c) => c.kept) : undefined;
    if (keeper) table.set(candidate, keeper.owner);
    for (const claim of list) if (claim !== keeper) pending.push(claim.owner);
  }
  if (options.policy === 'none' && pending.length > 0) {
    const first = pending[0] as NameOwner;
    throw new NameConflictError(
      first.name,
      pending.map((owner) => owner.server),
    );
  }
  for (const owner of pending) {
    const base = `${owner.server}${options.separator}${owner.name}`;
    let name = withHash(base, owner, options.maxLength);
    // A name a server chose to look like a hashed one never displaces anybody: salt and retry.
    for (let salt = 1; table.has(name); salt++) {
      name = withHash(base, owner, options.maxLength, String(salt));
    }
    table.set(name, owner);
  }
  return table;
}

interface Claim {
  owner: NameOwner;
  ownsPrefix: boolean;
  /** The owner held this very name in the previous table. */
  kept: boolean;
}

const keyOf = (owner: NameOwner) => `${owner.server}\u0000${owner.name}`;

/** The name each of `owners` held in `previous`, keyed by owner; undefined for a first build. */
function heldNames(
  owners: readonly NameOwner[],
  previous: ReadonlyMap<string, NameOwner> | undefined,
): Map<string, string> | undefined {
  if (previous === undefined || previous.size === 0) return undefined;
  const listed = new Set(owners.map(keyOf));
  const held = new Map<string, string>();
  for (const [federated, owner] of previous) {
    const key = keyOf(owner);
    if (listed.has(key)) held.set(key, federated);
  }
  return held;
}

/** Makes `desired` valid and short enough; changes it only when it has to. */
function fit(desired: string, owner: NameOwner, maxLength: number): string {
  if (VALID.test(desired) && desired.length <= maxLength) return desired;
  return withHash(desired, owner, maxLength);
}

function withHash(base: string, owner: NameOwner, maxLength: number, salt = ''): string {
  const clean = base.replace(/[^a-zA-Z0-9_-]/g, '_');
  const hash = stableHash(`${owner.server}\u0000${owner.name}\u0000${salt}`);
  return `${clean.slice(0, maxLength - HASH_LENGTH - 1)}_${hash}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
