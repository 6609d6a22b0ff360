import type { Socket } from 'node:net';

/**
 * Resets `socket` (RST on the wire), or destroys it when Node cannot reset it.
 *
 * A socket whose write side was ended (`end()`, by us or by Node for a socket without
 * `allowHalfOpen` once the peer sent FIN) has a shutdown in flight until its FIN is flushed.
 * libuv refuses to reset it then (`uv_tcp_close_reset` returns EINVAL), yet Node 20's
 * `resetAndDestroy()` marks the handle closing and drops it anyway: the socket emits an EINVAL
 * 'error' and never 'close', its descriptor stays open, and at exit Node waits for that handle
 * forever, spinning a core (`Environment::CleanupHandles`). A plain destroy closes it; the
 * socket already told its peer it is done, so that is the nearest thing to a reset.
 */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.writableEnded && !socket.writableFinished) socket.destroy();
  else socket.resetAndDestroy();
}
