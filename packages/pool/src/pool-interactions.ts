import type { Session } from './session.js';

/**
 * The interaction state a pool remembers for its owner and renews on new sessions: the log
 * level (sent to every session, so each server-side session filters alike) and the resource
 * subscriptions (held by one session, the holder, so each update arrives once; when the holder
 * closes, the next session opened or still live takes them over).
 */
export function createPoolInteractionState(parts: {
  live: () => readonly Session[];
  acquire: () => Promise<Session>;
}) {
  let level: string | undefined;
  const subscriptions = new Set<string>();
  let holder: Session | undefined;

  const hold = async (session: Session) => {
    holder = session;
    await Promise.all(
      [...subscriptions].map((uri) => session.subscribeResource(uri).catch(() => undefined)),
    );
  };

  return {
    /** A session just opened: it gets the level, and the subscriptions if none holds them. */
    adopted(session: Session): void {
      if (level !== undefined) void session.setLogLevel(level).catch(() => undefined);
      if (subscriptions.size > 0 && (holder === undefined || holder.isClosed)) void hold(session);
    },
    /** A session closed: if it held the subscriptions, another live one takes them. */
    closed(session: Session): void {
      if (holder !== session) return;
      holder = undefined;
      const next = parts.live().find((candidate) => !candidate.isClosed);
      if (next && subscriptions.size > 0) void hold(next);
    },
    async setLogLevel(to: string): Promise<void> {
      level = to;
      await Promise.all(parts.live().map((session) => session.setLogLevel(to)));
    },
    async subscribeResource(uri: string): Promise<void> {
      const session = holder && !holder.isClosed ? holder : await parts.acquire();
      holder = session;
      await session.subscribeResource(uri);
      subscriptions.add(uri);
    },
    async unsubscribeResource(uri: string): Promise<void> {
      if (!subscriptions.delete(uri)) return;
      if (holder && !holder.isClosed) await holder.unsubscribeResource(uri);
    },
    async notifyRootsChanged(): Promise<void> {
      await Promise.all(parts.live().map((session) => session.notifyRootsChanged()));
    },
  };
}
