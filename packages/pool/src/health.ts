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
