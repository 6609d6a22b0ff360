import { fileURLToPath } from 'node:url';
import {
  type EndpointDescriptor,
  MessageTooLargeError,
  ProtocolError,
  RequestTimeoutError,
  SessionClosedError,
  type SessionPool,
} from '@mcpmx/core';
import {
  type ChildServer,
  descendantPids,
  startHostileHttpServer,
} from '@mcpmx/tooling-test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSessionPool, type SessionPoolOptions } from '../src/index.js';
import { DEFAULT_POOL_OPTIONS } from '../src/pool-options.js';
import { expectUsable, settle } from './fuzz-support.js';
import { stdioEndpoint, text } from './helpers.js';

// What a pool does with hostile answers from upstream servers: garbage, partial frames, huge
// ids, deep results, wrong and repeated ids, results over maxMessageBytes, notification floods,
// SSE events that never end. Each case: a typed error for the request hit (or a documented
// drop), the pool serving other requests after it, and nothing left running after close().
// The peers are real: over stdio a hand-written JSON-RPC server (fixtures/raw-stdio-server.mjs,
// no SDK, so it can write any bytes), over HTTP the hostile test server (the SDK's fault server,
// with the hostile answers written by hand to the POST, and a hand-written legacy HTTP+SSE one).

const rawServer = fileURLToPath(new URL('./fixtures/raw-stdio-server.mjs', import.meta.url));
const MiB = 1024 * 1024;
const fast: SessionPoolOptions = { healthCheckIntervalMs: 0, backoff: { initialMs: 1, maxMs: 20 } };

const pools: SessionPool[] = [];
const open = (endpoint: EndpointDescriptor, options: SessionPoolOptions = {}) => {
  const pool = createSessionPool(endpoint, { ...fast, ...options });
  pools.push(pool);
  const unexpected: (string | number | null)[] = [];
  pool.on('unexpected-response', ({ id }) => unexpected.push(id));
  return { pool, unexpected };
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

/** A JSON-RPC answer as raw text; `id` is raw JSON (`__ID__` is the id of the call). */
const answer = (id: string, message: string) =>
  `{"jsonrpc":"2.0","id":${id},"result":{"resultType":"complete","content":[{"type":"text","text":"${message}"}]}}`;

describe('hostile replies over stdio (a hand-written JSON-RPC server)', () => {
  const before = descendantPids();
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
    expect(descendantPids().filter((pid) => !before.includes(pid))).toEqual([]);
  });
  const raw = () => open(stdioEndpoint(rawServer, [], {}, 'raw#0'), { protocol: 'legacy' });
  /** The raw server writes `lines` to stdout as the answer to this call, nothing else. */
  const emit = (pool: SessionPool, lines: string[], timeoutMs = 5000) =>
    pool.callTool(
      {
        name: 'emit',
        arguments: { data: Buffer.from(`${lines.join('\n')}\n`, 'latin1').toString('base64') },
      },
      { timeoutMs },
    );

  it('a response with an id never sent, then the real one: the call gets the real one; the other is dropped and reported', async () => {
    const { pool, unexpected } = raw();
    const result = await emit(pool, [answer('987654', 'forged'), answer('__ID__', 'real')]);
    expect(text(result)).toBe('real');
    expect(unexpected).toEqual([987654]);
    await expectUsable(pool);
  });

  it('a string id "N" never answers the pending request N (the SDK matches Number(id))', async () => {
    const { pool, unexpected } = raw();
    // "__ID__" becomes e.g. "3": the same digits as the pending request 3, as a string.
    const result = await emit(pool, [answer('"__ID__"', 'forged'), answer('__ID__', 'real')]);
    expect(text(result)).toBe('real');
    expect(unexpected).toHaveLength(1);
    expect(typeof unexpected[0]).toBe('string');
    await expectUsable(pool);
  });

  it('a duplicate response: the first answers, the second is dropped and reported', async () => {
    const { pool, unexpected } = raw();
    const result = await emit(pool, [answer('__ID__', 'first'), answer('__ID__', 'again')]);
    expect(text(result)).toBe('first');
    await expectUsable(pool);
    expect(unexpected).toHaveLength(1);
  });

  it('huge ids: dropped and reported (a string cut short), or refused as not JSON-RPC when unsafe', async () => {
    const { pool, unexpected } = raw();
    const long = 'i'.repeat(100_000);
    const result = await emit(pool, [
      // Past Number.MAX_SAFE_INTEGER: not a JSON-RPC id to the SDK's schema, so a garbage line.
      answer('12345678901234567890', 'forged'),
      answer(String(Number.MAX_SAFE_INTEGER), 'forged'),
      answer(`"${long}"`, 'forged'),
      answer('__ID__', 'real'),
    ]);
    expect(text(result)).toBe('real');
    expect(unexpected).toEqual([Number.MAX_SAFE_INTEGER, `${'i'.repeat(64)}…`]);
    await expectUsable(pool);
  });

  it('garbage and a partial frame before the answer: skipped, and the call gets its answer', async () => {
    const { pool } = raw();
    const result = await emit(pool, [
      'this is not JSON',
      '{"jsonrpc":"2.0","id":', // a frame cut off by a newline
      '\u0000\u00ff\u00fe',
      answer('__ID__', 'real'),
    ]);
    expect(text(result)).toBe('real');
    await expectUsable(pool);
  });

  it('a result nested 100000 deep: parsed without overflowing the stack', async () => {
    const { pool } = raw();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const result = await emit(pool, [
      `{"jsonrpc":"2.0","id":__ID__,"result":{"content":[{"type":"text","text":"deep"}],"structuredContent":{"d":${deep}}}}`,
    ]);
    expect(text(result)).toBe('deep');
    await expectUsable(pool);
  });

  it('a flood of 5000 notifications before the answer: the call gets it, the pool serves on', async () => {
    const { pool } = raw();
    const note =
      '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}';
    const result = await emit(pool, [
      ...Array.from({ length: 5000 }, () => note),
      answer('__ID__', 'end'),
    ]);
    expect(text(result)).toBe('end');
    await expectUsable(pool);
  });

  it('a line over maxMessageBytes: the session closes naming the limit (a line cannot be skipped), and the pool heals', async () => {
    const { pool } = open(stdioEndpoint(rawServer, [], {}, 'raw#0'), {
      protocol: 'legacy',
      maxMessageBytes: 64 * 1024,
    });
    const outcome = await settle(pool.callTool({ name: 'huge', arguments: { bytes: 200_000 } }));
    expect('error' in outcome && outcome.error).toBeInstanceOf(SessionClosedError);
    expect('error' in outcome && outcome.error.message).toContain('maxMessageBytes (65536 bytes');
    await expectUsable(pool);
  });
});

describe('hostile replies over HTTP (the hostile test server)', () => {
  let server: ChildServer;
  const before = descendantPids();
  beforeAll(async () => {
    server = await startHostileHttpServer();
  });
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
    await server.close();
    expect(descendantPids().filter((pid) => !before.includes(pid))).toEqual([]);
  });
  const http = (options: SessionPoolOptions = {}) =>
    open(
      {
        id: 'hostile#0',
        server: 'hostile',
        transport: { type: 'streamable-http', url: server.url },
      },
      options,
    );
  const legacySse = (options: SessionPoolOptions = {}) =>
    open(
      {
        id: 'legacy#0',
        server: 'legacy',
        transport: { type: 'sse', url: server.url.replace(/\/mcp$/, '/sse') },
      },
      options,
    );
  const reply = (pool: SessionPool, messages: string[], as: 'json' | 'sse') =>
    pool.callTool({ name: 'reply', arguments: { messages, as } }, { timeoutMs: 5000 });

  /** Peak RSS of this process so far, in bytes. */
  const peakRss = () => process.resourceUsage().maxRSS * 1024;

  it.each(['json', 'sse'] as const)(
    'a 250 MB result as %s: MessageTooLargeError at the default 32 MiB, RSS grows by less than the limit + 64 MiB, the pool serves on',
    async (as) => {
      const { pool } = http();
      await expectUsable(pool);
      const baseline = Math.max(process.memoryUsage.rss(), peakRss());
      const outcome = await settle(
        pool.callTool({ name: 'huge', arguments: { bytes: 250 * MiB, as } }, { timeoutMs: 30_000 }),
      );
      const error = 'error' in outcome ? outcome.error : undefined;
      expect(error).toBeInstanceOf(MessageTooLargeError);
      expect(error).toMatchObject({
        server: 'hostile',
        limit: DEFAULT_POOL_OPTIONS.maxMessageBytes,
      });
      expect((error as MessageTooLargeError).size).toBeGreaterThan(32 * MiB);
      expect(error?.message).toContain('maxMessageBytes (33554432 bytes');
      expect(peakRss() - baseline).toBeLessThan(DEFAULT_POOL_OPTIONS.maxMessageBytes + 64 * MiB);
      await expectUsable(pool);
    },
  );

  it.each(['json', 'sse'] as const)(
    'a result over a 64 KiB maxMessageBytes as %s fails that request only; one in flight beside it is answered',
    async (as) => {
      const { pool } = http({ maxMessageBytes: 64 * 1024 });
      const beside = pool.callTool({ name: 'slow', arguments: { ms: 200 } }, { timeoutMs: 5000 });
      const outcome = await settle(
        pool.callTool({ name: 'huge', arguments: { bytes: 200_000, as } }),
      );
      expect('error' in outcome && outcome.error).toBeInstanceOf(MessageTooLargeError);
      expect(text(await beside)).toBe('slept 200');
      // Just under the limit passes.
      const fits = await pool.callTool({ name: 'huge', arguments: { bytes: 60_000, as } });
      expect(text(fits)).toHaveLength(60_000);
      await expectUsable(pool);
    },
  );

  it('an SSE event that never ends: MessageTooLargeError once it passes the limit, and the pool serves on', async () => {
    const { pool } = http({ maxMessageBytes: 256 * 1024 });
    const outcome = await settle(pool.callTool({ name: 'endless', arguments: {} }));
    expect('error' in outcome && outcome.error).toBeInstanceOf(MessageTooLargeError);
    await expectUsable(pool);
  });

  it('an SSE event started and then silent: RequestTimeoutError at the timeout, and the pool serves on', async () => {
    const { pool } = http();
    const outcome = await settle(
      pool.callTool({ name: 'stall', arguments: {} }, { timeoutMs: 300 }),
    );
    expect('error' in outcome && outcome.error).toBeInstanceOf(RequestTimeoutError);
    await expectUsable(pool);
  });

  it.each(['json', 'sse'] as const)(
    'as %s, a response with an id never sent, then the real one: the call gets the real one; the other is dropped and reported',
    async (as) => {
      const { pool, unexpected } = http();
      const result = await reply(pool, [answer('987654', 'forged'), answer('__ID__', 'real')], as);
      expect(text(result)).toBe('real');
      expect(unexpected).toEqual([987654]);
      await expectUsable(pool);
    },
  );

  it.each(['json', 'sse'] as const)(
    'as %s, a string id "N" never answers the pending request N',
    async (as) => {
      const { pool, unexpected } = http();
      const result = await reply(
        pool,
        [answer('"__ID__"', 'forged'), answer('__ID__', 'real')],
        as,
      );
      expect(text(result)).toBe('real');
      expect(unexpected).toHaveLength(1);
      await expectUsable(pool);
    },
  );

  it('a JSON answer holding only a response to another id: ProtocolError at once, not the timeout; the other is reported', async () => {
    const { pool, unexpected } = http();
    const outcome = await settle(
      pool.callTool(
        { name: 'reply', arguments: { messages: [answer('987654', 'forged')], as: 'json' } },
        { timeoutMs: 10_000 },
      ),
    );
    const error = 'error' in outcome ? outcome.error : undefined;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error?.message).toContain('without a response to it');
    expect(unexpected).toEqual([987654]);
    await expectUsable(pool);
  });

  it('a duplicate response on the SSE stream: the first answers, the second is dropped and reported', async () => {
    const { pool, unexpected } = http();
    const result = await reply(pool, [answer('__ID__', 'first'), answer('__ID__', 'again')], 'sse');
    expect(text(result)).toBe('first');
    expect(unexpected).toHaveLength(1);
    await expectUsable(pool);
  });

  it("a flood of 5000 notifications on the call's stream: the call gets its answer", async () => {
    const { pool } = http();
    const result = await pool.callTool(
      { name: 'flood', arguments: { count: 5000 } },
      { timeoutMs: 30_000 },
    );
    expect(text(result)).toBe('sent 5000 log notifications');
    await expectUsable(pool);
  });

  it('legacy HTTP+SSE: an event over maxMessageBytes ends the session (its one stream carries every answer) naming the limit; the pool heals', async () => {
    const { pool } = legacySse({ maxMessageBytes: 64 * 1024 });
    await expectUsable(pool);
    const outcome = await settle(pool.callTool({ name: 'huge', arguments: { bytes: 200_000 } }));
    expect('error' in outcome && outcome.error).toBeInstanceOf(SessionClosedError);
    expect('error' in outcome && outcome.error.message).toContain('maxMessageBytes (65536 bytes');
    await expectUsable(pool);
  });
});
