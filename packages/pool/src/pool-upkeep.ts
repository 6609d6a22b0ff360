import { probeSession } from './health.js';
import type { ResolvedPoolOptions } from './pool-options.js';
import type { Session } from './session.js';

/**
 * A pool's periodic upkeep of its sessions: health checks of the idle ones, and closing the
 * ones idle past `idleTimeoutMs` while more than `minSessions` are open. A session that fails
 * two health checks in a row is closed; one failure makes the endpoint `degraded` until a
 * check passes or a request is answered (`answered`). A session idle for long is probed before
 * it is handed out again (`validate`).
 */
export function createUpkeep(parts: {
  sessions: () => readonly Session[];
  settings: Pick<
    ResolvedPoolOptions,
    'clock' | 'healthCheckTimeoutMs' | 'idleTimeoutMs' | 'minSessions'
  >;
  closed: () => boolean;
  degraded: () => boolean;
  /** The endpoint is up again, for `reason`. */
  up: (reason: string) => void;
  /** What went wrong; with `error`, the endpoint is degraded by it. */
  failed: (message: string, error?: unknown) => void;
}) {
  const { settings } = parts;
  const healthFailures = new WeakMap<Session, number>();
  return {
    async checkHealth() {
      for (const session of [...parts.sessions()]) {
        if (session.isClosed || session.inFlight > 0) continue;
        try {
          await probeSession(session, settings.healthCheckTimeoutMs);
          healthFailures.delete(session);
          if (parts.degraded() && parts.sessions().length > 0) parts.up('health check passed');
        } catch (error) {
          if (session.isClosed || parts.closed()) continue;
          const failures = (healthFailures.get(session) ?? 0) + 1;
          healthFailures.set(session, failures);
          const message = `health check failed: ${(error as Error).message}`;
          if (failures >= 2) {
            parts.failed(message);
            await session.close();
          } else {
            // A busy session is not probed; its next answered request is the evidence instead.
            session.expectAnswer();
            parts.failed(message, error);
          }
        }
      }
    },
    evictIdle() {
      const now = settings.clock.now();
      let open = parts.sessions().length;
      for (const session of [...parts.sessions()]) {
        if (open <= settings.minSessions) break;
        if (session.inFlight === 0 && now - session.lastUsedAt >= settings.idleTimeoutMs) {
          open--;
          void session.close();
        }
      }
    },
    /** Whether `session` still answers; one that does not is closed. */
    async validate(session: Session): Promise<boolean> {
      try {
        await probeSession(session, settings.healthCheckTimeoutMs);
        return true;
      } catch (error) {
        if (!session.isClosed) {
          parts.failed(`validation failed: ${(error as Error).message}`);
          await session.close();
        }
        return false;
      }
    },
    /** A request on `session` was answered: its health-check failures are forgotten. */
    answered(session: Session): void {
      healthFailures.delete(session);
    },
  };
}
