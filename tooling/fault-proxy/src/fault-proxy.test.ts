import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

/** An echo server: answers every chunk with the same bytes. */
async function startEcho(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

function exchange(port: number, message: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('timeout'));
    }, timeoutMs);
    let received = '';
    socket.on('connect', () => socket.write(message));
    socket.on('data', (chunk) => {
      received += chunk.toString();
      if (received.length >= message.length) {
        clearTimeout(timer);
        socket.end();
        resolve(received);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe('startFaultProxy', () => {
  let echo: { server: Server; port: number };
  let proxy: FaultProxy;
  beforeEach(async () => {
    echo = await startEcho();
    proxy = await startFaultProxy({ port: echo.port });
  });
  afterEach(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => echo.server.close(() => resolve()));
  });

  it('forwards both ways when healthy', async () => {
    expect(await exchange(proxy.port, 'hello')).toBe('hello');
  });

  it('adds latency', async () => {
    proxy.setFaults({ latencyMs: 150 });
    const started = performance.now();
    expect(await exchange(proxy.port, 'slow')).toBe('slow');
    // Two hops (up and down) of 150 ms each.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('resets new connections', async () => {
    proxy.setFaults({ reset: true });
    await expect(exchange(proxy.port, 'x')).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('blackholes: the connection opens and nothing comes back', async () => {
    proxy.setFaults({ blackhole: true });
    await expect(exchange(proxy.port, 'x', 300)).rejects.toThrow('timeout');
  });

  it('half-open: the request gets through, the answer never comes', async () => {
    let reached = false;
    echo.server.on('connection', (socket) => socket.on('data', () => (reached = true)));
    proxy.setFaults({ halfOpen: true });
    await expect(exchange(proxy.port, 'x', 300)).rejects.toThrow('timeout');
    expect(reached).toBe(true);
  });

  it('resetAll drops live connections, and close() leaves none', async () => {
    const socket = connect({ host: '127.0.0.1', port: proxy.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => undefined);
    proxy.resetAll();
    await closed;
    expect(proxy.connections).toBe(0);
  });
});
