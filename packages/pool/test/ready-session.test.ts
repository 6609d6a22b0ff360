import { ManualClock } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { inProcessEndpoint as endpoint, inProcessFaultServers, text } from './helpers.js';

describe('ready(): the session a request sent now would use, without waiting', () => {
  const { createTransport } = inProcessFaultServers()();

  it('is undefined until a session is live, then the live session, and undefined once the pool is closed', async () => {
    const pool = createSessionPool(endpoint, {
      createTransport,
      minSessions: 0,
      healthCheckIntervalMs: 0,
    });
    expect(pool.ready?.()).toBeUndefined();
    const session = await pool.acquire();
    expect(pool.ready?.()).toBe(session);
    const result = await pool.ready?.()?.callTool({ name: 'echo', arguments: { message: 'hi' } });
    expect(result && text(result)).toBe('Echo: hi');
    await pool.close();
    expect(pool.ready?.()).toBeUndefined();
  });

  it('an idle session past validateAfterIdleMs is not ready (the pool validates it first); a busy one is', async () => {
    const clock = new ManualClock();
    const pool = createSessionPool(endpoint, {
      createTransport,
      clock,
      validateAfterIdleMs: 5000,
      healthCheckIntervalMs: 0,
    });
    try {
      const session = await pool.acquire();
      clock.advance(4999);
      expect(pool.ready?.()).toBe(session);
      clock.advance(1);
      expect(pool.ready?.()).toBeUndefined();
      // Through the pool, the call is validated (probed), and then the session is fresh again.
      await pool.callTool({ name: 'echo', arguments: { message: 'after idle' } });
      expect(pool.ready?.()).toBe(session);
      // Busy for longer than validateAfterIdleMs is not idle: still ready.
      const slow = pool.callTool({ name: 'slow', arguments: { ms: 200 } });
      await expect.poll(() => session.inFlight).toBe(1);
      clock.advance(10_000);
      expect(pool.ready?.()).toBe(session);
      await slow;
    } finally {
      await pool.close();
    }
  });

  it('counts the request about to be sent: a session at maxInFlightPerSession makes the pool open another', async () => {
    const pool = createSessionPool(endpoint, {
      createTransport,
      maxSessions: 2,
      maxInFlightPerSession: 2,
      healthCheckIntervalMs: 0,
    });
    try {
      const first = await pool.acquire();
      const one = first.callTool({ name: 'slow', arguments: { ms: 300 } });
      expect(pool.ready?.()).toBe(first); // one in flight plus this one: 2, at the limit
      expect(pool.stats()).toMatchObject({ sessions: 1, connecting: 1 });
      await expect.poll(() => pool.stats().sessions).toBe(2);
      expect(pool.ready?.()).not.toBe(first); // the least loaded is the new, idle one
      await one;
    } finally {
      await pool.close();
    }
  });
});
