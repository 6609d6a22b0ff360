import { fileURLToPath } from 'node:url';
import { InvalidOptionError, ManualClock, type McpmxError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { DEFAULT_POOL_OPTIONS } from '../src/pool-options.js';
import { expectUsable, settle } from './fuzz-support.js';
import { stdioEndpoint } from './helpers.js';

const rawServer = fileURLToPath(new URL('./fixtures/raw-stdio-server.mjs', import.meta.url));

describe('bounded message sizes and wait queues', () => {
  it('a 40 MiB stdout line closes the session with an error naming maxMessageBytes; the pool heals', async () => {
    expect(DEFAULT_POOL_OPTIONS.maxMessageBytes).toBe(32 * 1024 * 1024);
    const pool = createSessionPool(stdioEndpoint(rawServer, [], {}, 'raw#0'), {
      protocol: 'legacy',
      healthCheckIntervalMs: 0,
      backoff: { initialMs: 1, maxMs: 20 },
    });
    try {
      await expectUsable(pool);
      const outcome = await settle(
        pool.callTool({ name: 'huge', arguments: { bytes: 40 * 1024 * 1024 } }),
      );
      expect('error' in outcome && outcome.error.code).toBe('MCPMX_SESSION_CLOSED');
      expect('error' in outcome && outcome.error.message).toContain(
        'larger than maxMessageBytes (33554432 bytes',
      );
      await expectUsable(pool);
    } finally {
      await pool.close();
    }
  });

  it('maxMessageBytes applies to stdio as configured: just under passes, just over fails', async () => {
    const pool = createSessionPool(stdioEndpoint(rawServer, [], {}, 'raw#0'), {
      protocol: 'legacy',
      healthCheckIntervalMs: 0,
      backoff: { initialMs: 1, maxMs: 20 },
      maxMessageBytes: 4096,
    });
    try {
      // The line is `bytes` long with its newline; the limit counts the line without it.
      const fits = await pool.callTool({ name: 'huge', arguments: { bytes: 4097 } });
      expect((fits.content[0] as { text: string }).text).toMatch(/^a{4000,}$/);
      const outcome = await settle(pool.callTool({ name: 'huge', arguments: { bytes: 4098 } }));
      expect('error' in outcome && outcome.error.message).toContain(
        'larger than maxMessageBytes (4096 bytes',
      );
    } finally {
      await pool.close();
    }
  });

  it('more waiters than maxWaiters: the extra call fails at once, naming the limit', async () => {
    const clock = new ManualClock();
    const pool = createSessionPool(
      {
        id: 'gone#0',
        server: 'gone',
        transport: { type: 'stdio', command: 'mcpmx-no-such-server' },
      },
      { clock, maxWaiters: 3, healthCheckIntervalMs: 0 },
    );
    const waiting = [1, 2, 3].map(() => settle(pool.callTool({ name: 'echo', arguments: {} })));
    const refused = await settle(pool.callTool({ name: 'echo', arguments: {} }));
    expect('error' in refused && refused.error.code).toBe('MCPMX_ACQUIRE_TIMEOUT');
    expect('error' in refused && refused.error.message).toMatch(
      /gone \(gone#0, stdio:mcpmx-no-such-server\) is live and 3 calls already wait for one \(maxWaiters 3\)/,
    );
    expect(pool.stats().waiting).toBe(3);
    await pool.close();
    for (const outcome of await Promise.all(waiting)) {
      expect('error' in outcome && outcome.error.code).toBe('MCPMX_POOL_CLOSED');
    }
  });

  it('checks the new options at construction', () => {
    const endpoint = stdioEndpoint(rawServer);
    for (const [option, value] of [
      ['maxMessageBytes', 0],
      ['maxMessageBytes', 1.5],
      ['maxWaiters', -1],
      ['maxWaiters', Number.NaN],
    ] as const) {
      const error = (() => {
        try {
          createSessionPool(endpoint, { [option]: value });
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect((error as McpmxError).message).toContain(`${option} must be`);
    }
  });
});
