import { ConnectError, InvalidOptionError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { inProcessEndpoint as endpoint, inProcessFaultServers, text } from './helpers.js';

describe('createTransport: sessions over a transport the caller builds', () => {
  const inProcess = inProcessFaultServers();

  it('calls go over it, one transport per session, and close() closes them', async () => {
    const { made, closed, createTransport } = inProcess();
    const pool = createSessionPool(endpoint, {
      createTransport,
      minSessions: 2,
      maxSessions: 2,
      healthCheckIntervalMs: 0,
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        pool.callTool({ name: 'echo', arguments: { message: `m${i}` } }),
      ),
    );
    expect(results.map(text)).toEqual(Array.from({ length: 8 }, (_, i) => `Echo: m${i}`));
    expect(made).toHaveLength(2);
    expect(closed.count).toBe(0);
    await pool.close();
    expect(closed.count).toBe(2);
  });

  it('a factory that throws fails the call with a ConnectError naming it, and the pool heals when it stops throwing', async () => {
    const { createTransport } = inProcess();
    let broken = true;
    const pool = createSessionPool(endpoint, {
      createTransport: () => {
        if (broken) throw new Error('no wire today');
        return createTransport();
      },
      minSessions: 0,
      acquireTimeoutMs: 200,
      backoff: { initialMs: 1, maxMs: 5 },
      healthCheckIntervalMs: 0,
    });
    try {
      const error = await pool
        .callTool({ name: 'echo', arguments: { message: 'x' } })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain('createTransport threw: no wire today');
      broken = false;
      const result = await pool.callTool({ name: 'echo', arguments: { message: 'back' } });
      expect(text(result)).toBe('Echo: back');
    } finally {
      await pool.close();
    }
  });

  it('a createTransport that is not a function is refused by name', () => {
    expect(() =>
      createSessionPool(endpoint, { createTransport: 'in-memory' as never }),
    ).toThrowError(InvalidOptionError);
    expect(() => createSessionPool(endpoint, { createTransport: 42 as never })).toThrowError(
      /createTransport/,
    );
  });

  it('the failure is reported as a typed ConnectError on the status event', async () => {
    const pool = createSessionPool(endpoint, {
      createTransport: () => {
        throw new Error('refused');
      },
      minSessions: 0,
      acquireTimeoutMs: 100,
      healthCheckIntervalMs: 0,
    });
    const errors: unknown[] = [];
    pool.on('status', (change) => errors.push(change.error));
    try {
      await pool.callTool({ name: 'echo', arguments: { message: 'x' } }).catch(() => undefined);
      const connectErrors = errors.filter((error) => ConnectError.isInstance(error));
      expect(connectErrors.length).toBeGreaterThan(0);
      expect((connectErrors[0] as Error).message).toContain('createTransport threw: refused');
    } finally {
      await pool.close();
    }
  });
});
