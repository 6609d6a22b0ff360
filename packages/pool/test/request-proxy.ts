import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 for HTTP tests that fault one request, not the whole server:
 * - `resetRequestsContaining(marker)`: a connection whose request bytes contain `marker` is
 *   reset (RST) before they are forwarded, so that one fetch fails mid-request while the
 *   other connections carry on;
 * - `holdResponses()` / `releaseResponses()`: answers are buffered until released, so requests
 *   are provably in flight (their connections busy) while a fault happens;
 * - `refuseNewConnections()`: stops listening, so a new connection is refused (ECONNREFUSED)
 *   while the open ones keep working; `acceptNewConnections()` listens again, on the same port.
 * `seen(marker)` resolves once request bytes containing `marker` have arrived `count` times.
 */
export interface RequestProxy {
  readonly port: number;
  url(upstreamUrl: string): string;
  resetRequestsContaining(marker: string): void;
  holdResponses(): void;
  releaseResponses(): void;
  refuseNewConnections(): Promise<void>;
  acceptNewConnections(): Promise<void>;
  /**
   * Ends (FIN, as a server's keep-alive timeout does) every client connection whose current
   * request contains none of `markers`, and resolves once the client has closed them: the idle
   * keep-alive connections, so that the next request needs a new one.
   */
  endConnectionsExcept(markers: string[]): Promise<void>;
  seen(marker: string, count?: number): Promise<void>;
  /** Connections accepted so far, and open now. */
  readonly accepted: number;
  readonly open: number;
  /** Resolves once no connection is open. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

export async function startRequestProxy(target: { port: number }): Promise<RequestProxy> {
  const sockets = new Set<Socket>();
  const held: Array<() => void> = [];
  const resetMarkers = new Set<string>();
  const watchers: Array<{ marker: string; count: number; resolve: () => void }> = [];
  const chunks: string[] = [];
  const countOf = (marker: string) => chunks.filter((chunk) => chunk.includes(marker)).length;
  const drainWaiters: Array<() => void> = [];
  const requests = new Map<Socket, () => string>();
  let holding = false;
  let accepted = 0;
  let listening = true;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) for (const resolve of drainWaiters.splice(0)) resolve();
    });
    socket.on('error', () => undefined);
  };

  const notice = (text: string) => {
    chunks.push(text);
    for (const watcher of [...watchers]) {
      if (countOf(watcher.marker) < watcher.count) continue;
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.resolve();
    }
  };

  const server: Server = createServer((client) => {
    accepted++;
    track(client);
    // The request this connection carries now (or carried last): from its method line on.
    let current = '';
    requests.set(client, () => current);
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      current = /^(GET|POST|DELETE) /.test(text) ? text : current + text;
    });
    client.on('close', () => requests.delete(client));
    const upstream = connect({ host: '127.0.0.1', port: target.port });
    track(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      for (const marker of resetMarkers) {
        if (text.includes(marker)) {
          // A socket whose FIN is already queued is destroyed, not reset (Node 20 leaks the
          // handle of a reset after end()).
          if (client.writableEnded) client.destroy();
          else client.resetAndDestroy();
          upstream.destroy();
          notice(text);
          return;
        }
      }
      upstream.write(chunk);
      notice(text);
    });
    client.on('end', () => upstream.end());
    upstream.on('data', (chunk: Buffer) => {
      if (holding) held.push(() => client.write(chunk));
      else client.write(chunk);
    });
    upstream.on('end', () => {
      if (holding) held.push(() => client.end());
      else client.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    url: (upstreamUrl) => {
      const url = new URL(upstreamUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    resetRequestsContaining: (marker) => {
      resetMarkers.add(marker);
    },
    holdResponses: () => {
      holding = true;
    },
    releaseResponses: () => {
      holding = false;
      for (const write of held.splice(0)) write();
    },
    refuseNewConnections: async () => {
      if (!listening) return;
      listening = false;
      // The listening socket closes now; the open connections stay (server.close's callback
      // would wait for them), so only new connections are refused.
      server.close();
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    acceptNewConnections: async () => {
      if (listening) return;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      listening = true;
    },
    endConnectionsExcept: async (markers) => {
      const ending: Promise<void>[] = [];
      for (const [socket, request] of requests) {
        if (markers.some((marker) => request().includes(marker))) continue;
        ending.push(new Promise<void>((resolve) => socket.once('close', () => resolve())));
        socket.end();
      }
      await Promise.all(ending);
    },
    seen: (marker, count = 1) =>
      new Promise<void>((resolve) => {
        if (countOf(marker) >= count) {
          resolve();
          return;
        }
        watchers.push({ marker, count, resolve });
      }),
    get accepted() {
      return accepted;
    },
    get open() {
      return sockets.size;
    },
    drained: () =>
      new Promise<void>((resolve) => {
        if (sockets.size === 0) resolve();
        else drainWaiters.push(resolve);
      }),
    close: async () => {
      for (const socket of [...sockets]) socket.destroy();
      if (listening) {
        listening = false;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      for (const resolve of drainWaiters.splice(0)) resolve();
    },
  };
}
