import type { Session } from './session.js';

/** The requests that count in a session's `inFlight` (each one runs through the session's own path). */
const OPERATIONS = [
  'callTool',
  'listTools',
  'listResources',
  'listResourceTemplates',
  'listPrompts',
  'readResource',
  'getPrompt',
  'complete',
  'ping',
] as const;

type Send = (first?: unknown, second?: unknown) => Promise<unknown>;

/**
 * Graceful renewal of a pool's sessions (`SessionPool.renewSessions`): the sessions open now,
 * and those whose handshake started before the renewal, are retired. A retired session takes
 * no new request (the pool no longer lists it) and closes once its last request in flight has
 * ended, so none is failed or cut; the next session opened reads the owner's capabilities
 * afresh in its handshake.
 *
 * The pool wraps each session it adopts (`track`), so the end of any request on it is seen,
 * whether it was sent through the pool or on the session `ready()` handed out.
 */
export function createSessionRenewal() {
  /** Bumped by each renewal: a handshake that started under an older one heard old capabilities. */
  let generation = 0;
  /** Retired sessions that still have requests in flight, with their close reason. */
  const draining = new Map<Session, string>();

  const closeWhenIdle = (session: Session) => {
    const reason = draining.get(session);
    if (reason === undefined || session.inFlight > 0) return;
    draining.delete(session);
    void session.close(reason);
  };

  return {
    /** The renewals so far: a handshake that started before the latest one is stale. */
    get generation() {
      return generation;
    },
    /** `session`, with each request's end seen, so that it closes once retired and idle. */
    track(session: Session): Session {
      const tracked = Object.create(session) as Session;
      const ended = () => closeWhenIdle(tracked);
      for (const name of OPERATIONS) {
        const send = session[name] as Send;
        (tracked as unknown as Record<string, Send>)[name] = (first, second) => {
          const pending = send(first, second);
          pending.then(ended, ended);
          return pending;
        };
      }
      return tracked;
    },
    /** Starts a renewal: `live` are retired, each closing once idle (at once when it is). */
    retire(live: readonly Session[], why: string): void {
      generation++;
      const reason = `renewed: ${why}`;
      for (const session of live) {
        if (session.isClosed) continue;
        draining.set(session, reason);
        closeWhenIdle(session);
      }
    },
    /** Retired sessions still draining (closed with the pool). */
    draining(): Session[] {
      return [...draining.keys()];
    },
    /** Requests in flight on retired sessions. */
    inFlight(): number {
      let sum = 0;
      for (const session of draining.keys()) sum += session.inFlight;
      return sum;
    },
    /** A retired session closed by itself. */
    forget(session: Session): void {
      draining.delete(session);
    },
  };
}

export type SessionRenewal = ReturnType<typeof createSessionRenewal>;
