import { describe, expect, it } from 'vitest';
import type { SessionPoolOptions } from '../src/index.js';
import { createSessionPool } from '../src/index.js';
import { inProcessEndpoint, inProcessFaultServers, nextEvent, text } from './helpers.js';

type Transport = ReturnType<NonNullable<SessionPoolOptions['createTransport']>>;

/** Passes everything through, except that `ping` requests vanish while `dropPings` is set. */
class PingDropper implements Transport {
  dropPings = false;
  onclose?: Transport['onclose'];
  onerror?: Transport['onerror'];
  onmessage?: Transport['onmessage'];
  constructor(private readonly inner: Transport) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => this.onmessage?.(message, extra);
  }
  start() {
    return this.inner.start();
  }
  close() {
    return this.inner.close();
  }
  async send(...args: Parameters<Transport['send']>) {
    const [message] = args;
    if (this.dropPings && 'method' in message && message.method === 'ping') return;
    return this.inner.send(...args);
  }
}

describe('a degraded replica', () => {
  const servers = inProcessFaultServers();

  it('is up again at its next answered request, not only at a health check it may never get while busy', async () => {
    const { createTransport } = servers();
    let transport: PingDropper | undefined;
    const pool = createSessionPool(inProcessEndpoint, {
      protocol: 'legacy',
      healthCheckIntervalMs: 1000,
      healthCheckTimeoutMs: 100,
      createTransport: () => {
        transport = new PingDropper(createTransport() as Transport);
        return transport;
      },
    });
    try {
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'a' } }))).toBe(
        'Echo: a',
      );
      const degraded = nextEvent(pool, 'status', (change) => change.to === 'degraded');
      (transport as PingDropper).dropPings = true; // the next health check times out
      await degraded;
      const closed: string[] = [];
      pool.on('session-closed', ({ reason }) => closed.push(reason));
      // Pings still vanish; a call is answered: that is the evidence, at once.
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'b' } }))).toBe(
        'Echo: b',
      );
      expect(pool.status).toBe('up');
      expect(closed).toEqual([]);
    } finally {
      await pool.close();
    }
  });
});
