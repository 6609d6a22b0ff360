import { connect, createServer, type Server, type Socket } from 'node:net';
import { resetSocket } from './reset-socket.js';

/** What the proxy does to traffic. Change it at any time with `setFaults`. */
export interface Faults {
  /** Added before each chunk is forwarded, in each direction. */
  latencyMs?: number;
  /** Forwarded bytes per second in each direction; 0 or undefined is unlimited. */
  bytesPerSecond?: number;
  /** New connections are reset at once (RST), as a crashed or firewalled host would. */
  reset?: boolean;
  /** New connections are accepted and nothing is ever forwarded or answered. */
  blackhole?: boolean;
  /** Requests reach the server but answers are dropped: the client's half stays open. */
  halfOpen?: boolean;
}

export interface FaultProxy {
  /** 127.0.0.1 port the proxy listens on. */
  readonly port: number;
  /** Rewrites `url`'s port to the proxy's. */
  url(upstreamUrl: string): string;
  setFaults(faults: Faults): void;
  /** Resets every open connection now (RST on both sides). */
  resetAll(): void;
  /** Connections open right now. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target` that injects latency, bandwidth limits, resets,
 * blackholes and half-open connections, for testing what crosses a network.
 */
export async function startFaultProxy(target: {
  host?: string;
  port: number;
}): Promise<FaultProxy> {
  let faults: Faults = {};
  const sockets = new Set<Socket>();

  const pipe = (from: Socket, to: Socket, direction: 'up' | 'down') => {
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      if (faults.blackhole || (direction === 'down' && faults.halfOpen)) return;
      from.pause();
      chain = chain.then(async () => {
        const { latencyMs = 0, bytesPerSecond = 0 } = faults;
        const shaped = bytesPerSecond > 0 ? (chunk.length / bytesPerSecond) * 1000 : 0;
        const wait = latencyMs + shaped;
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (!to.destroyed) to.write(chunk);
        if (!from.destroyed) from.resume();
      });
    });
    from.on('end', () => {
      void chain.then(() => to.end());
    });
  };

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (faults.reset) {
      resetSocket(client);
      return;
    }
    const upstream = connect({ host: target.host ?? '127.0.0.1', port: target.port });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      if (!client.destroyed) client.destroy();
    });
    // The client's FIN may still be queued here (the upstream ended first, or the client
    // half-closed): resetSocket falls back to a destroy then.
    upstream.on('error', () => resetSocket(client));
    client.on('close', () => {
      if (!upstream.destroyed) upstream.destroy();
    });
    pipe(client, upstream, 'up');
    pipe(upstream, client, 'down');
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
    setFaults: (next) => {
      faults = { ...next };
    },
    resetAll: () => {
      for (const socket of [...sockets]) resetSocket(socket);
    },
    get connections() {
      return [...sockets].filter((socket) => !socket.destroyed).length;
    },
    close: async () => {
      for (const socket of [...sockets]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
