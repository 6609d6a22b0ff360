import {
  ClientClosedError,
  type Clock,
  ConnectError,
  type Disposer,
  type SessionPool,
  StartTimeoutError,
} from '@mcpmx/core';

/** How one server's first contact ended: a replica is up, or none could be reached. */
export type ContactOutcome = { up: true } | { up: false; error: Error };

/** What the tracker needs of the routes: each server's pools. */
export type PoolsOf = (server: string) => readonly SessionPool[] | undefined;

/**
 * Follows the pools made while the client starts, so that `start()` waits for each server's
 * first contact and no longer: a server is settled once one of its replicas is up, or once every
 * replica has failed its first connect attempt (a missing command, a refused connection, an
 * unknown host or an HTTP 401/404 fail within milliseconds). A pool that opens nothing by itself
 * (`minSessions: 0`, or a custom pool still `unknown`) is not waited for: the catalog fetch
 * connects it. The pools keep reconnecting in the background whatever start() reports; nothing
 * here polls or retries. Listeners go with `stop()`.
 */
export function createFirstContact(clock: Clock) {
  const tracked = new Map<SessionPool, { error?: unknown; stop: Disposer }>();
  /** Each pending wait: called on every status change, and with `closing` by stop(). */
  const wakers = new Set<(closing?: boolean) => void>();
  let stopped = false;

  const outcome = (pools: readonly SessionPool[]): ContactOutcome | undefined => {
    if (pools.some((pool) => pool.status === 'up' || pool.status === 'degraded')) {
      return { up: true };
    }
    if (pools.length > 0 && pools.every((pool) => pool.status === 'down')) {
      const pool = pools[0] as SessionPool;
      const error = tracked.get(pool)?.error;
      if (error instanceof Error) return { up: false, error };
      const { server, id } = pool.endpoint;
      const reason = pool.stats().lastError ?? 'the first connect attempt failed';
      return {
        up: false,
        error: new ConnectError(`could not connect to ${server} (${id}): ${reason}`, {
          server,
          replica: id,
        }),
      };
    }
    // Not one replica is connecting: nothing will settle by itself, so the fetch decides.
    if (!pools.some((pool) => pool.status === 'connecting')) return { up: true };
    return undefined;
  };

  return {
    /** Follows a pool as it is made, until `stop()`. */
    track(pool: SessionPool): void {
      if (stopped) return;
      const entry: { error?: unknown; stop: Disposer } = {
        stop: pool.on('status', ({ to, error }) => {
          entry.error = to === 'down' ? error : undefined;
          for (const wake of [...wakers]) wake();
        }),
      };
      tracked.set(pool, entry);
    },

    /**
     * Resolves with each server's outcome once every one is settled, or at `timeoutMs`: a
     * server still connecting then is reported with a StartTimeoutError naming the limit.
     */
    wait(
      servers: readonly string[],
      poolsOf: PoolsOf,
      timeoutMs: number,
    ): Promise<Map<string, ContactOutcome>> {
      const settled = new Map<string, ContactOutcome>();
      return new Promise((resolve) => {
        let timer: ReturnType<Clock['setTimeout']> | undefined;
        const finish = () => {
          wakers.delete(check);
          if (timer !== undefined) clock.clearTimeout(timer);
          resolve(settled);
        };
        function check(closing = false) {
          if (closing) {
            for (const server of servers) {
              if (settled.has(server)) continue;
              const error = new ClientClosedError(`start(): waiting for ${server}`);
              settled.set(server, { up: false, error });
            }
          }
          for (const server of servers) {
            if (settled.has(server)) continue;
            // A server removed while starting has nothing to wait for.
            const result = outcome(poolsOf(server) ?? []);
            if (result) settled.set(server, result);
          }
          if (settled.size === servers.length) finish();
        }
        wakers.add(check);
        check();
        if (settled.size === servers.length) return;
        timer = clock.setTimeout(() => {
          for (const server of servers) {
            if (settled.has(server)) continue;
            const last = (poolsOf(server) ?? [])
              .map((pool) => pool.stats().lastError)
              .find((reason) => reason !== undefined);
            const message = `${server} did not answer within startTimeoutMs (${timeoutMs} ms)${last ? `; last error: ${last}` : ''}; it keeps connecting in the background and joins the catalog once it is up`;
            settled.set(server, {
              up: false,
              error: new StartTimeoutError(message, { server, timeoutMs }),
            });
          }
          finish();
        }, timeoutMs);
      });
    },

    /** Stops following every pool. */
    stop(): void {
      stopped = true;
      for (const entry of tracked.values()) entry.stop();
      tracked.clear();
      for (const wake of [...wakers]) wake(true);
      wakers.clear();
    },
  };
}
