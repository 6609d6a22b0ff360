import type { SessionPoolEvents } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { createSessionPool, type PoolInteractions } from '../src/index.js';
import { everythingStdio, faultStdio, nextEvent, serverPid, text } from './helpers.js';

const quiet = { healthCheckIntervalMs: 0 };

/** True while the process runs. */
const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('renewSessions(): sessions renewed gracefully', () => {
  it('calls in flight complete on the old session, the next call gets a new one, and the old one closes after', async () => {
    // server-everything's sampling tool waits for the client's answer: the calls stay in
    // flight until the test answers.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = 0;
    let bothAsked: () => void = () => undefined;
    const inFlightBoth = new Promise<void>((resolve) => {
      bothAsked = resolve;
    });
    const pool = createSessionPool(everythingStdio(), {
      ...quiet,
      interactions: {
        capabilities: { sampling: true },
        onRequest: async () => {
          if (++asked === 2) bothAsked();
          await released;
          return { model: 'm', role: 'assistant', content: { type: 'text', text: 'answered' } };
        },
      },
    });
    const events: string[] = [];
    pool.on('session-closed', ({ reason }) => events.push(`closed: ${reason}`));
    pool.on('status', ({ to }) => events.push(`status: ${to}`));
    try {
      const oldSession = await pool.acquire();
      const sample = { name: 'trigger-sampling-request', arguments: { prompt: 'hold on' } };
      // One through the pool, one on the session ready() handed out (the client's fast path).
      const viaPool = pool.callTool(sample);
      const viaReady = pool.ready?.()?.callTool(sample);
      await inFlightBoth;
      expect(oldSession.inFlight).toBe(2);
      const closedOld = nextEvent(
        pool,
        'session-closed',
        ({ session }) => session === oldSession.id,
      );
      events.length = 0;
      await pool.renewSessions?.('capabilities changed');
      // A new session is live, and takes the next calls; the old one waits for its calls.
      const newSession = await pool.acquire();
      expect(newSession.id).not.toBe(oldSession.id);
      expect(pool.ready?.()).toBe(newSession);
      expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'next' } }))).toBe(
        'Echo: next',
      );
      expect(oldSession.inFlight).toBe(2);
      expect(events).toEqual([]);

      release();
      expect(JSON.stringify(await viaPool)).toContain('answered');
      expect(JSON.stringify(await viaReady)).toContain('answered');
      expect((await closedOld).reason).toBe('renewed: capabilities changed');
      // The endpoint was never down, and only the old session closed.
      expect(events).toEqual(['closed: renewed: capabilities changed']);
      expect(pool.stats()).toMatchObject({ status: 'up', sessions: 1, inFlight: 0 });
    } finally {
      release();
      await pool.close();
    }
  });

  it('idle sessions close at once; a pool without sessions renews at once', async () => {
    const pool = createSessionPool(faultStdio(), quiet);
    try {
      const oldPid = await serverPid(pool);
      const closed = nextEvent(pool, 'session-closed');
      await pool.renewSessions?.('again');
      expect((await closed).reason).toBe('renewed: again');
      expect(pool.stats().sessions).toBe(1);
      expect(await serverPid(pool)).not.toBe(oldPid);
      await expect.poll(() => running(oldPid)).toBe(false);
    } finally {
      await pool.close();
    }
    const empty = createSessionPool(faultStdio(), { ...quiet, minSessions: 0 });
    await empty.renewSessions?.('nothing to renew');
    expect(empty.stats()).toMatchObject({ sessions: 0, connecting: 0 });
    await empty.close();
  });

  it('close() during a renewal closes the draining session too: its process ends, nothing is left', async () => {
    const pool = createSessionPool(faultStdio(), quiet);
    const oldPid = await serverPid(pool);
    const slow = pool.callTool({ name: 'slow', arguments: { ms: 20_000 } }).then(
      () => 'resolved',
      () => 'rejected',
    );
    await expect.poll(() => pool.stats().inFlight).toBe(1);
    await pool.renewSessions?.('before close');
    const newPid = await serverPid(pool);
    await pool.close();
    expect(await slow).toBe('rejected');
    await expect.poll(() => running(oldPid)).toBe(false);
    await expect.poll(() => running(newPid)).toBe(false);
  });

  describe('the new handshake reads the capabilities afresh (server-everything lists its sampling tool only to a client that samples)', () => {
    const answering = (capabilities: () => PoolInteractions['capabilities']): PoolInteractions => ({
      get capabilities() {
        return capabilities();
      },
      onRequest: async () => {
        throw new Error('not asked in this test');
      },
    });
    const names = async (pool: ReturnType<typeof createSessionPool>) =>
      (await pool.listTools({})).tools.map((tool) => tool.name);

    it('after a renewal, the server is told sampling, and back', async () => {
      let sampling = false;
      const pool = createSessionPool(everythingStdio(), {
        ...quiet,
        interactions: answering(() => ({ sampling })),
      });
      try {
        expect(await names(pool)).not.toContain('trigger-sampling-request');
        sampling = true;
        // Without a renewal, the open session keeps what its handshake said.
        expect(await names(pool)).not.toContain('trigger-sampling-request');
        await pool.renewSessions?.('sampling');
        expect(await names(pool)).toContain('trigger-sampling-request');
        sampling = false;
        await pool.renewSessions?.('no sampling');
        expect(await names(pool)).not.toContain('trigger-sampling-request');
      } finally {
        await pool.close();
      }
    });

    it('a handshake under way during a renewal heard the old capabilities: that session is not used', async () => {
      let sampling = false;
      const told = new Set<boolean>();
      const opened: SessionPoolEvents['session-opened'][] = [];
      const pool = createSessionPool(everythingStdio(), {
        ...quiet,
        interactions: answering(() => {
          told.add(sampling);
          return { sampling };
        }),
      });
      pool.on('session-opened', (event) => opened.push(event));
      try {
        // The first session's handshake started at creation, told no sampling.
        sampling = true;
        await pool.renewSessions?.('sampling, while the first handshake runs');
        expect(await names(pool)).toContain('trigger-sampling-request');
        expect(told).toEqual(new Set([false, true]));
        expect(opened).toHaveLength(1);
      } finally {
        await pool.close();
      }
    });
  });
});
