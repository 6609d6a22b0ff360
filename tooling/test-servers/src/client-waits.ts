/**
 * Waits on a multi-server client's events, for tests. Typed structurally, so this package does
 * not depend on @mcpmx/client (which tests with it).
 */
interface WatchedClient {
  snapshot(): { servers: { replicas: { status: string }[] }[] };
  on(event: 'replica-status', listener: () => void): () => void;
  on(
    event: 'request-start',
    listener: (event: { target?: string; replica: string }) => void,
  ): () => void;
}

/** Resolves once every registered replica of the client reads `up`. */
export function allUp(client: WatchedClient): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const replicas = client.snapshot().servers.flatMap((server) => server.replicas);
      if (replicas.length > 0 && replicas.every((replica) => replica.status === 'up')) {
        off();
        resolve();
      }
    };
    const off = client.on('replica-status', check);
    check();
  });
}

/** Resolves, once `count` requests to `target` have started, with the busiest replica. */
export function inFlight(client: WatchedClient, target: string, count: number): Promise<string> {
  return new Promise((resolve) => {
    const perReplica = new Map<string, number>();
    let started = 0;
    const off = client.on('request-start', (event) => {
      if (event.target !== target) return;
      perReplica.set(event.replica, (perReplica.get(event.replica) ?? 0) + 1);
      if (++started >= count) {
        off();
        resolve([...perReplica].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '');
      }
    });
  });
}
