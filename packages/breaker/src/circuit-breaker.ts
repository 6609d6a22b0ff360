import {
  type BackoffOptions,
  type Breaker,
  type BreakerSnapshot,
  type BreakerState,
  type BreakerStateChange,
  type Clock,
  checkNumber,
  createEmitter,
  type Disposer,
  InvalidOptionError,
  resolveBackoff,
  systemClock,
} from '@mcpmx/core';
import { consecutiveFailures, type FailurePolicy } from './failure-policies.js';

export interface CircuitBreakerOptions {
  /** When to open. Default: 5 consecutive failures. */
  policy?: FailurePolicy;
  /**
   * How long the breaker stays open before it lets probes through: `initialMs` after the first
   * opening, growing by `factor` with each consecutive opening, up to `maxMs`. Default
   * 5000 ms × 2 up to 60000 ms.
   */
  halfOpenAfter?: BackoffOptions;
  /** Probes let through at once while half-open; more calls are refused. Default 1. */
  halfOpenProbes?: number;
  /** Successful probes needed to close. Default 1. */
  successesToClose?: number;
  /** Resume from a snapshot (see toJSON). */
  restore?: BreakerSnapshot;
  clock?: Clock;
}

/** The default `halfOpenAfter` backoff (frozen). */
export const DEFAULT_HALF_OPEN_AFTER = Object.freeze({
  initialMs: 5000,
  factor: 2,
  maxMs: 60_000,
} as const);

/**
 * A circuit breaker with the states closed, open, half-open and isolated.
 *
 * - Closed: calls pass; the policy watches outcomes and opens the breaker.
 * - Open: calls are refused until the open period ends. The period backs off across
 *   consecutive openings (initial × factor^(openings-1), capped).
 * - Half-open: up to `halfOpenProbes` calls pass as probes; `successesToClose` successes close
 *   the breaker (and reset the backoff), one failure opens it again for longer.
 * - Isolated: held open by hand until every `isolate()` disposer has been called.
 *
 * Pure and synchronous: the open period ends exactly at `openUntil`, observed on the next
 * read, with no timer. Every transition emits 'state-change'.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): Breaker {
  const clock = options.clock ?? systemClock;
  const policy = options.policy ?? consecutiveFailures(5);
  if (
    typeof policy?.success !== 'function' ||
    typeof policy.failure !== 'function' ||
    typeof policy.reset !== 'function'
  ) {
    throw new InvalidOptionError(
      'policy',
      'a FailurePolicy, e.g. consecutiveFailures(5) (call the factory)',
      policy,
    );
  }
  const backoff = resolveBackoff(
    { ...DEFAULT_HALF_OPEN_AFTER, ...options.halfOpenAfter },
    'halfOpenAfter',
  );
  const probes = checkNumber('halfOpenProbes', options.halfOpenProbes ?? 1, {
    min: 1,
    integer: true,
  });
  const successesToClose = checkNumber('successesToClose', options.successesToClose ?? 1, {
    min: 1,
    integer: true,
  });
  const events = createEmitter<{ 'state-change': BreakerStateChange }>();

  const restored = checkSnapshot(options.restore);
  let state: BreakerState = restored?.state ?? 'closed';
  let openings = restored?.openings ?? 0;
  let openUntil = restored?.openUntil;
  let probesInFlight = 0;
  let probeSuccesses = 0;
  let isolations = state === 'isolated' ? 1 : 0;
  /** Bumped by reset(): disposers handed out before it no longer count. */
  let generation = 0;

  const transition = (to: BreakerState, at = clock.now()) => {
    if (to === state) return;
    const from = state;
    state = to;
    events.emit('state-change', { from, to, at, openings });
  };
  const openDuration = () =>
    Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, openings - 1));
  const open = () => {
    openings++;
    openUntil = clock.now() + openDuration();
    probesInFlight = 0;
    probeSuccesses = 0;
    transition('open');
  };
  /** Ends an expired open period: the breaker is half-open from exactly `openUntil`. */
  const observe = () => {
    if (state === 'open' && openUntil !== undefined && clock.now() >= openUntil) {
      probesInFlight = 0;
      probeSuccesses = 0;
      transition('half-open', openUntil);
    }
  };

  return {
    get state() {
      observe();
      return state;
    },
    tryAcquire: () => {
      observe();
      switch (state) {
        case 'closed':
          return true;
        case 'half-open':
          if (probesInFlight >= probes) return false;
          probesInFlight++;
          return true;
        default:
          return false;
      }
    },
    recordSuccess: () => {
      observe();
      if (state === 'half-open') {
        probesInFlight = Math.max(0, probesInFlight - 1);
        if (++probeSuccesses >= successesToClose) {
          openings = 0;
          openUntil = undefined;
          policy.reset();
          transition('closed');
        }
        return;
      }
      if (state === 'closed') policy.success(clock.now());
    },
    release: () => {
      observe();
      if (state === 'half-open') probesInFlight = Math.max(0, probesInFlight - 1);
    },
    recordFailure: () => {
      observe();
      if (state === 'half-open') {
        open();
        return;
      }
      if (state === 'closed' && policy.failure(clock.now())) {
        policy.reset();
        open();
      }
    },
    isolate: (): Disposer => {
      isolations++;
      transition('isolated');
      const issuedIn = generation;
      let released = false;
      return () => {
        if (released || issuedIn !== generation) return;
        released = true;
        isolations--;
        if (isolations === 0 && state === 'isolated') {
          policy.reset();
          openings = 0;
          openUntil = undefined;
          transition('closed');
        }
      };
    },
    reset: () => {
      generation++;
      isolations = 0;
      openings = 0;
      openUntil = undefined;
      probesInFlight = 0;
      probeSuccesses = 0;
      policy.reset();
      transition('closed');
    },
    allowProbe: () => {
      if (state === 'open' && openUntil !== undefined) {
        openUntil = Math.min(openUntil, clock.now());
        observe();
      }
    },
    retryAfterMs: () => {
      observe();
      if (state !== 'open' || openUntil === undefined) return undefined;
      return Math.max(0, openUntil - clock.now());
    },
    on: (event, listener) => events.on(event, listener),
    toJSON: (): BreakerSnapshot => {
      observe();
      return { state, openings, openUntil };
    },
  };
}

const STATES: readonly BreakerState[] = ['closed', 'open', 'half-open', 'isolated'];

/** Validates a snapshot passed as `restore`, naming the field that is wrong. */
function checkSnapshot(snapshot: BreakerSnapshot | undefined): BreakerSnapshot | undefined {
  if (snapshot === undefined) return undefined;
  if (!STATES.includes(snapshot.state)) {
    throw new InvalidOptionError(
      'restore.state',
      '"closed", "open", "half-open" or "isolated"',
      snapshot.state,
    );
  }
  checkNumber('restore.openings', snapshot.openings, { min: 0, integer: true });
  if (snapshot.state === 'open' || snapshot.openUntil !== undefined) {
    // An open breaker without an end time would stay open for ever.
    if (typeof snapshot.openUntil !== 'number' || !Number.isFinite(snapshot.openUntil)) {
      throw new InvalidOptionError(
        'restore.openUntil',
        'a finite time on the breaker clock when restore.state is "open"',
        snapshot.openUntil,
      );
    }
  }
  return snapshot;
}
