import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { addressKey } from './address-key.js';

export interface ConnectionLimitOptions {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  /** Told of every connection closed to keep within a limit (see {@link Shed}). */
  onShed?: (shed: Shed) => void;
}

/**
 * What a limit did to make room: closed the longest-idle connection it competes with
 * (`closed-idle`), or, with every competing connection busy, closed the new one (`refused`).
 */
export interface Shed {
  action: 'closed-idle' | 'refused';
  limit: 'total' | 'per-address';
}

/** The connections a server holds, within its limits. */
export interface ConnectionLimits {
  /** Connections open now. */
  readonly open: number;
  /**
   * A socket the HTTP server handed to an `upgrade` listener (the dashboard's WebSocket): it
   * stays counted, but it is busy for good and never closed to make room.
   */
  upgraded(socket: Duplex): void;
  /** Stops watching the server. Idempotent. */
  close(): void;
}

interface Connection {
  readonly address: string;
  /** Requests received and not yet answered (more than one when pipelined). */
  requests: number;
  upgraded: boolean;
}

interface Peer {
  count: number;
  /** Its idle connections, longest idle first. */
  idle: Set<Socket>;
}

/**
 * Caps a server's connections, in total and per remote address (an IPv6 one by its /64). A connection that would pass
 * a cap closes the longest-idle connection it competes with instead (one with no request in
 * flight: never sent one, or kept alive between requests), so idle sockets, however many are
 * opened, cannot lock clients out; only when every competing connection is busy is the new one
 * closed at once. Closing the socket before it is read costs one accept, not a file
 * descriptor held.
 */
export function limitConnections(
  server: Server,
  options: ConnectionLimitOptions,
): ConnectionLimits {
  const connections = new Map<Socket, Connection>();
  /** Every idle connection, longest idle first. */
  const idle = new Set<Socket>();
  const peers = new Map<string, Peer>();

  const peerOf = (address: string) => {
    let peer = peers.get(address);
    if (!peer) {
      peer = { count: 0, idle: new Set() };
      peers.set(address, peer);
    }
    return peer;
  };
  const forget = (socket: Socket) => {
    const connection = connections.get(socket);
    if (!connection) return;
    connections.delete(socket);
    idle.delete(socket);
    const peer = peers.get(connection.address);
    if (!peer) return;
    peer.idle.delete(socket);
    peer.count--;
    if (peer.count === 0) peers.delete(connection.address);
  };
  /** Closes the longest-idle of `candidates`; false when there is none. */
  const evictFrom = (candidates: Set<Socket>) => {
    const victim = candidates.values().next().value;
    if (victim === undefined) return false;
    forget(victim);
    victim.destroy();
    return true;
  };
  /** Closes the longest-idle of `candidates` for a new connection; false: the new one is refused. */
  const makeRoom = (candidates: Set<Socket>, limit: Shed['limit']) => {
    const made = evictFrom(candidates);
    options.onShed?.({ action: made ? 'closed-idle' : 'refused', limit });
    return made;
  };
  const setIdle = (socket: Socket, connection: Connection) => {
    const peer = peers.get(connection.address);
    if (connection.requests > 0 || connection.upgraded) {
      idle.delete(socket);
      peer?.idle.delete(socket);
    } else {
      idle.add(socket);
      peer?.idle.add(socket);
    }
  };

  const onConnection = (socket: Socket) => {
    if (socket.remoteAddress === undefined) {
      socket.destroy(); // already gone
      return;
    }
    const address = addressKey(socket.remoteAddress);
    const peer = peers.get(address);
    if (
      peer &&
      peer.count >= options.maxConnectionsPerAddress &&
      !makeRoom(peer.idle, 'per-address')
    ) {
      socket.destroy();
      return;
    }
    if (connections.size >= options.maxConnections && !makeRoom(idle, 'total')) {
      socket.destroy();
      return;
    }
    const connection: Connection = { address, requests: 0, upgraded: false };
    connections.set(socket, connection);
    peerOf(address).count++; // after the evictions, which may have dropped this address's entry
    setIdle(socket, connection);
    socket.once('close', () => forget(socket));
  };
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket as Socket;
    const connection = connections.get(socket);
    if (!connection) return;
    connection.requests++;
    setIdle(socket, connection);
    response.once('close', () => {
      connection.requests--;
      if (connections.has(socket)) setIdle(socket, connection);
    });
  };

  server.on('connection', onConnection);
  server.on('request', onRequest);
  let closed = false;
  return {
    get open() {
      return connections.size;
    },
    upgraded(socket) {
      const connection = connections.get(socket as Socket);
      if (!connection) return;
      connection.upgraded = true;
      setIdle(socket as Socket, connection);
    },
    close() {
      if (closed) return;
      closed = true;
      server.off('connection', onConnection);
      server.off('request', onRequest);
    },
  };
}
