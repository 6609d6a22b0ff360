import type { Advertised } from '@mcpmx/client';
import type { Clock, TimerHandle } from '@mcpmx/core';

/** How long after the last session with a capability ends the upstreams are renewed without it. */
export const DEFAULT_SHRINK_AFTER_MS = 5_000;

export interface AdvertisedUnionOptions {
  /**
   * Tells the upstreams what `current()` says now (the client's `readvertise()`, which renews
   * the sessions of the servers told something else). A rejection is reported, not thrown.
   */
  readvertise: () => Promise<unknown>;
  clock: Clock;
  /** The delay before a shrink is renewed (debounced). Default {@link DEFAULT_SHRINK_AFTER_MS}. */
  shrinkAfterMs?: number;
  /** Hears a failed renewal. */
  report?: (error: unknown) => void;
}

/** One downstream session counted in the union. */
export interface UnionMember {
  /**
   * Resolves once the upstreams have been told what this member declared (a renewal that
   * started after it joined has ended), at once when they already were. Never rejects.
   */
  readonly ready: Promise<void>;
  /** The session ended: its capabilities no longer count. Idempotent. */
  leave(): void;
}

/** What the gateway promises its upstreams over HTTP: the union of its open sessions'. */
export interface AdvertisedUnion {
  /** The union of what the members declared: the client's `advertise`, asked per handshake. */
  current(): Advertised;
  join(declared: Advertised): UnionMember;
  /** No renewal starts after this (one in flight ends on its own). Idempotent. */
  close(): void;
}

type Flags = { form: boolean; url: boolean; sampling: boolean; roots: boolean };

const flagsOf = (advertised: Advertised): Flags => {
  const { elicitation } = advertised;
  return {
    form: elicitation === true || (typeof elicitation === 'object' && elicitation.form === true),
    url: elicitation === true || (typeof elicitation === 'object' && elicitation.url === true),
    sampling: advertised.sampling === true,
    roots: advertised.roots === true,
  };
};

/** Every flag `wanted` has, `promised` has too. */
const covers = (promised: Flags, wanted: Flags) =>
  (Object.keys(wanted) as (keyof Flags)[]).every((key) => !wanted[key] || promised[key]);

/**
 * The capabilities an HTTP gateway promises its upstreams without `--advertise`: the union of
 * what its open downstream sessions declared. Upstream sessions are shared by every downstream
 * session, and a 2025-11-25 server hears its client's capabilities only in its handshake, so a
 * change means new upstream sessions (`readvertise`):
 * - a session that declares something the upstreams were not promised waits (`ready`) for a
 *   renewal that promises it, so its first `tools/list` already shows what depends on it;
 * - when the last session with a capability ends, the upstreams are renewed without it after
 *   `shrinkAfterMs` (debounced: sessions that come and go do not renew each time);
 * - one renewal runs at a time, and at most one more waits, reading the union when it starts:
 *   any number of sessions opening at once cost at most two renewals.
 */
export function createAdvertisedUnion(options: AdvertisedUnionOptions): AdvertisedUnion {
  const shrinkAfterMs = options.shrinkAfterMs ?? DEFAULT_SHRINK_AFTER_MS;
  const members = new Set<Flags>();
  /** What the latest renewal (or the start: nothing) read: what upstreams were told. */
  let promised = flagsOf({});
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let shrinkTimer: TimerHandle | undefined;
  let closed = false;

  const union = (): Flags => {
    const all = flagsOf({});
    for (const flags of members) {
      for (const key of Object.keys(all) as (keyof Flags)[]) all[key] ||= flags[key];
    }
    return all;
  };

  const clearShrink = () => {
    options.clock.clearTimeout(shrinkTimer);
    shrinkTimer = undefined;
  };

  const start = (): Promise<void> => {
    promised = union();
    const run: Promise<void> = (closed ? Promise.resolve() : options.readvertise())
      .then(
        () => undefined,
        (error: unknown) => options.report?.(error),
      )
      .finally(() => {
        if (running === run) running = undefined;
      });
    running = run;
    return run;
  };

  /** A renewal that reads the union from now on: the one to start, or the one queued. */
  const renew = (): Promise<void> => {
    clearShrink();
    if (queued) return queued;
    if (!running) return start();
    queued = running.then(() => {
      queued = undefined;
      return start();
    });
    return queued;
  };

  const scheduleShrink = () => {
    if (closed || shrinkTimer !== undefined || covers(union(), promised)) return;
    shrinkTimer = options.clock.setTimeout(() => {
      shrinkTimer = undefined;
      // A session may have brought the capability back meanwhile.
      if (!covers(union(), promised)) void renew();
    }, shrinkAfterMs);
    shrinkTimer.unref?.();
  };

  return {
    current() {
      const { form, url, sampling, roots } = union();
      return {
        ...(form || url ? { elicitation: { form, url } } : {}),
        ...(sampling ? { sampling: true } : {}),
        ...(roots ? { roots: true } : {}),
      };
    },
    join(declared) {
      const flags = flagsOf(declared);
      members.add(flags);
      const ready = closed
        ? Promise.resolve()
        : !covers(promised, flags)
          ? renew()
          : // Promised by the renewal in flight (it read the union) or before it.
            (running ?? Promise.resolve());
      let left = false;
      return {
        ready,
        leave() {
          if (left) return;
          left = true;
          members.delete(flags);
          scheduleShrink();
        },
      };
    },
    close() {
      closed = true;
      clearShrink();
    },
  };
}
