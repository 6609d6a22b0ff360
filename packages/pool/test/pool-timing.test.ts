import { createSeededRandom, fullJitterDelay, ManualClock, type McpmxError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { faultStdio, nextEvent, serverPid, text } from './helpers.js';

describe('timing rules, on a manual clock', () => {
  it('reconnects with capped full-jitter exponential backoff from the seeded random', async () => {
    const clock = new ManualClock();
    const backoff = { initialMs: 100, factor: 2, maxMs: 1000 };
    const pool = createSessionPool(
      { id: 'bad#0', server: 'bad', transport: { type: 'stdio', command: 'mcpmx-no-such-server' } },
      {
        clock,
        random: createSeededRandom(7),
        backoff,
        healthCheckIntervalMs: 0,
        connectTimeoutMs: 123_456,
      },
    );
    // The clock also sees the acquire and connect timeouts; keep the backoff delays.
    const backoffDelays = () => clock.delays.filter((ms) => ms !== 123_456 && ms !== 1_000_000);
    const waiting = pool.acquire({ timeoutMs: 1_000_000 }).catch((e: unknown) => e);
    const expectedRandom = createSeededRandom(7);
    const expected = Array.from({ length: 6 }, (_, attempt) =>
      fullJitterDelay(attempt, backoff, expectedRandom),
    );
    for (let attempt = 0; attempt < 6; attempt++) {
      // Each failed spawn schedules the next attempt; wait for it, then let it fire.
      await expect.poll(() => backoffDelays().length).toBe(attempt + 1);
      clock.advance(backoffDelays()[attempt] ?? 0);
    }
    expect(backoffDelays().slice(0, 6)).toEqual(expected);
    expect(Math.max(...expected)).toBeLessThanOrEqual(1000);
    await pool.close();
    expect(((await waiting) as McpmxError).code).toBe('MCPMX_POOL_CLOSED');
    expect(clock.pending()).toEqual([]);
  });

  it('an acquire times out exactly at acquireTimeoutMs', async () => {
    const clock = new ManualClock();
    const pool = createSessionPool(
      { id: 'bad#0', server: 'bad', transport: { type: 'stdio', command: 'mcpmx-no-such-server' } },
      { clock, healthCheckIntervalMs: 0 },
    );
    let settled: unknown;
    const waiting = pool.acquire({ timeoutMs: 5000 }).then(
      () => 'resolved',
      (error: unknown) => {
        settled = error;
      },
    );
    clock.advance(4999);
    await Promise.resolve();
    expect(settled).toBeUndefined();
    clock.advance(1);
    await waiting;
    expect((settled as McpmxError).code).toBe('MCPMX_ACQUIRE_TIMEOUT');
    await pool.close();
  });

  it('opens a second session under load and the evictor closes it when idle, keeping minSessions', async () => {
    const clock = new ManualClock();
    const pool = createSessionPool(faultStdio(), {
      clock,
      minSessions: 1,
      maxSessions: 2,
      maxInFlightPerSession: 1,
      idleTimeoutMs: 5000,
      evictionIntervalMs: 1000,
      healthCheckIntervalMs: 0,
    });
    try {
      await pool.callTool({ name: 'echo', arguments: { message: 'warm' } });
      const second = nextEvent(pool, 'session-opened', () => pool.stats().sessions === 2);
      const calls = [
        pool.callTool({ name: 'slow', arguments: { ms: 300 } }),
        pool.callTool({ name: 'slow', arguments: { ms: 300 } }),
      ];
      await second;
      await Promise.all(calls);
      expect(pool.stats().sessions).toBe(2);
      clock.advance(4000);
      expect(pool.stats().sessions).toBe(2);
      const evicted = nextEvent(pool, 'session-closed');
      clock.advance(2000);
      expect((await evicted).reason).toBe('closed by the pool');
      expect(pool.stats().sessions).toBe(1);
      clock.advance(60_000);
      expect(pool.stats().sessions).toBe(1);
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'x' } }))).toBe(
        'Echo: x',
      );
    } finally {
      await pool.close();
    }
    expect(clock.pending()).toEqual([]);
  });

  it('health checks mark a hung server degraded, then replace its session', async () => {
    const clock = new ManualClock();
    const pool = createSessionPool(faultStdio(), {
      clock,
      healthCheckIntervalMs: 1000,
      healthCheckTimeoutMs: 300,
      backoff: { initialMs: 1, maxMs: 1 },
    });
    try {
      const pid = await serverPid(pool);
      process.kill(pid, 'SIGSTOP');
      const degraded = nextEvent(pool, 'status', (change) => change.to === 'degraded');
      clock.advance(1000);
      const reason = (await degraded).reason;
      expect(reason, reason).toMatch(/health check failed: .*timed out after 300 ms/);
      const replaced = nextEvent(pool, 'session-opened');
      clock.advance(1000);
      await expect.poll(() => pool.stats().connecting + pool.stats().sessions).toBeGreaterThan(0);
      clock.advance(10);
      await replaced;
      expect(await serverPid(pool)).not.toBe(pid);
    } finally {
      await pool.close();
    }
  });

  it('validates a session idle past validateAfterIdleMs before handing it out', async () => {
    const clock = new ManualClock();
    const pool = createSessionPool(faultStdio(), {
      clock,
      validateAfterIdleMs: 1000,
      healthCheckIntervalMs: 0,
      healthCheckTimeoutMs: 300,
      backoff: { initialMs: 1, maxMs: 1 },
    });
    try {
      const pid = await serverPid(pool);
      clock.advance(500);
      // The server hangs; the session has been idle 1500 ms > validateAfterIdleMs, so the
      // acquire validates it, sees the probe time out, and hands out a fresh session instead.
      process.kill(pid, 'SIGSTOP');
      clock.advance(1000);
      const session = await pool.acquire();
      expect(await serverPid(pool)).not.toBe(pid);
      expect(session.endpoint.id).toBe('fault#0');
    } finally {
      await pool.close();
    }
  });
});
