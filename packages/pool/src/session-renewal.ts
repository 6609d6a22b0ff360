import type { Session } from './session.js';

/**
 * Graceful renewal of a pool's sessions (`SessionPool.renewSessions`): the sessions open now,
 * and those whose handshake started before the renewal, are retired. A retired session takes
 * no new request (the pool no longer lists it) and closes once its last request in flight has
 * ended, so none is failed or cut; the next session opened reads the owner's capabilities
 * afresh in its handshake.
 *
 * A retired session is told to close when idle (`Session.whenIdle`), so the end of its last
 * request is seen whether that was sent through the pool or on the session `ready()` handed out.
 */
export function createSessionRenewal() {
  /** Bumped by each renewal: a handshake that started under an older one heard old capabilities. */
  let generation = 0;
  /** Retired sessions that still have requests in flight, with their close reason. */
  const draining = new Map<Session, string>();
  /**
   * Sessions opened and not yet taken into the pool: p-retry gives up an attempt when the pool
   * closes without waiting for it, and the pool's close() closes what such an attempt opened.
   */
  const opened = new Set<Session>();

  const closeWhenIdle = (session: Session) => {
    const reason = draining.get(session);
    if (reason === undefined || session.inFlight > 0) return;
    draining.delete(session);
    void session.close(reason);
  };

  return {
    /**
     * Opens a session with `openOne`; one whose handshake began before a renewal heard the old
     * capabilities, so it is closed and opened again. `refusal` says, once a session is open,
     * whether the pool still wants it (the error to throw when it does not).
     */
    async open(
      openOne: () => Promise<Session>,
      refusal: () => Error | undefined,
    ): Promise<Session> {
      for (;;) {
        const started = generation;
        const session = await openOne();
        const refused = refusal();
        if (refused) {
          await session.close();
          throw refused;
        }
        if (started === generation) {
          opened.add(session);
          return session;
        }
        void session.close('opened before a renewal of the sessions');
      }
    },
    /** The pool took `session` in. */
    adopted(session: Session): void {
      opened.delete(session);
    },
    /** Sessions opened and not taken in (closed with the pool); forgets them. */
    unadopted(): Session[] {
      const left = [...opened];
      opened.clear();
      return left;
    },
    /** Starts a renewal: `live` are retired, each closing once idle (at once when it is). */
    retire(live: readonly Session[], why: string): void {
      generation++;
      const reason = `renewed: ${why}`;
      for (const session of live) {
        if (session.isClosed) continue;
        draining.set(session, reason);
        session.whenIdle(() => closeWhenIdle(session));
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
