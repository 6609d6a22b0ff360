import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { resetSocket } from './reset-socket.js';

/** Resolves with what `promise` gives, or rejects naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('resetSocket', () => {
  let server: Server;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** A connected pair: `socket` is ours, `peer` the server's side (half-open allowed). */
  async function pair(): Promise<{ socket: Socket; peer: Socket }> {
    const accepted = new Promise<Socket>((resolve) => {
      server = createServer({ allowHalfOpen: true }, (peer) => {
        sockets.push(peer);
        peer.on('error', () => undefined);
        peer.resume();
        resolve(peer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const socket = connect({
      host: '127.0.0.1',
      port: typeof address === 'object' && address ? address.port : 0,
    });
    sockets.push(socket);
    await new Promise((resolve) => socket.once('connect', resolve));
    return { socket, peer: await accepted };
  }

  it('resets a live connection: the peer reads ECONNRESET', async () => {
    const { socket, peer } = await pair();
    const peerError = new Promise<NodeJS.ErrnoException>((resolve) => peer.once('error', resolve));
    resetSocket(socket);
    expect((await within(peerError, 2000, "the peer's ECONNRESET")).code).toBe('ECONNRESET');
  });

  it('closes a socket whose FIN is still queued (resetAndDestroy would leak it)', async () => {
    const { socket, peer } = await pair();
    const errors: Error[] = [];
    socket.on('error', (error) => errors.push(error));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const peerEnded = new Promise((resolve) => peer.once('end', resolve));
    socket.end(); // the shutdown is in flight until the loop flushes the FIN
    resetSocket(socket);
    // resetAndDestroy() here gives 'error' EINVAL (reset), no 'close', and a descriptor that
    // stays open for good (and then the process cannot exit).
    await within(closed, 2000, "the socket's 'close'");
    expect(errors).toEqual([]);
    // And the peer sees it end (the FIN went out with the close).
    await within(peerEnded, 2000, "the peer's 'end'");
  });
});
