import { InterceptingTransport } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { inProcessEndpoint, inProcessFaultServers, nextEvent, text } from './helpers.js';

describe('a degraded replica', () => {
  const servers = inProcessFaultServers();

  it('is up again at its next answered request, not only at a health check it may never get while busy', async () => {
    const { createTransport } = servers();
    let transport: InterceptingTransport | undefined;
    const pool = createSessionPool(inProcessEndpoint, {
      protocol: 'legacy',
      healthCheckIntervalMs: 1000,
      healthCheckTimeoutMs: 100,
      createTransport: () => {
        transport = new InterceptingTransport(createTransport());
        return transport;
      },
    });
    try {
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'a' } }))).toBe(
        'Echo: a',
      );
      const degraded = nextEvent(pool, 'status', (change) => change.to === 'degraded');
      // The next health check times out: pings vanish.
      (transport as InterceptingTransport).intercept = (message) =>
        'method' in message && message.method === 'ping' ? 'drop' : 'pass';
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
