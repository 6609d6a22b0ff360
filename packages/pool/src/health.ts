import { McpmxError, RemoteError } from '@mcpmx/core';
import { METHOD_NOT_FOUND } from './map-error.js';
import type { Session } from './session.js';

/** Sessions whose server does not implement ping (or whose protocol revision lacks it). */
const pingUnsupported = new WeakSet<Session>();

/**
 * Checks that a session answers: an MCP `ping`, falling back to a cheap `tools/list` where
 * ping is unsupported (a server without it, or a 2026-07-28 session, whose revision has no
 * ping). Rejects with the typed error of the failed request.
 */
export async function probeSession(session: Session, timeoutMs: number): Promise<void> {
  if (!pingUnsupported.has(session)) {
    try {
      await session.ping({ timeoutMs });
      return;
    } catch (error) {
      const unsupported =
        McpmxError.isInstance(error) &&
        error instanceof RemoteError &&
        error.rpcCode === METHOD_NOT_FOUND;
      if (!unsupported) throw error;
      pingUnsupported.add(session);
    }
  }
  await session.listTools({}, { timeoutMs });
}

/** Sessions with a confirming probe under way, so a burst of refusals probes once. */
const confirming = new WeakSet<Session>();

/**
 * After a request's own connection was refused (HTTP), probes the session once, at once: when
 * the probe fails too and no other request is in flight on it, the server is gone and the
 * session is closed (the pool then reports the replica down and reconnects with backoff); when
 * it answers, or other requests are still in flight, the refusal was that request's alone (a
 * connect timeout under load) and the session stays. Resolves true when it closed it.
 */
export async function closeIfUnreachable(
  session: Session,
  timeoutMs: number,
  reason: string,
): Promise<boolean> {
  if (confirming.has(session) || session.isClosed) return false;
  confirming.add(session);
  try {
    await probeSession(session, timeoutMs);
    return false;
  } catch {
    // Requests still in flight on their own connections say the server is there, only not
    // taking new connections now: leave it to them (a refusal after they drain probes again).
    if (session.isClosed || session.inFlight > 0) return false;
    await session.close(`the server is unreachable (${reason}), and a probe failed too`);
    return true;
  } finally {
    confirming.delete(session);
  }
}
