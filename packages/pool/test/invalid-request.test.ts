import { type EndpointDescriptor, InvalidRequestError, type McpmxError } from '@mcpmx/core';
import {
  type ChildServer,
  startEverythingHttp,
  startFaultHttpServer,
  startWebSocketServer,
} from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { faultStdio, text } from './helpers.js';

// A caller's arguments that cannot be serialized are the caller's fault: the call rejects with
// InvalidRequestError before anything is sent, and the session (healthy) keeps serving.

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { inner: value };
  return value;
};

const unserializable: Array<{ name: string; value: () => unknown; problem: RegExp }> = [
  {
    name: 'a BigInt',
    value: () => ({ message: 'x', count: 10n }),
    problem: /cannot be serialized: Do not know how to serialize a BigInt/,
  },
  {
    name: 'a circular object',
    value: () => {
      const cycle: Record<string, unknown> = { message: 'x' };
      cycle.self = cycle;
      return cycle;
    },
    problem: /cannot be serialized: Converting circular structure to JSON/,
  },
  {
    name: 'a getter that throws',
    value: () => ({
      message: 'x',
      get broken() {
        throw new Error('this getter throws');
      },
    }),
    problem: /cannot be serialized: this getter throws/,
  },
  {
    name: 'nesting 10,000 deep',
    value: () => ({ message: 'x', deep: nested(10_000) }),
    problem: /deeper than maxRequestDepth \(1000 levels\)/,
  },
];

const servers: ChildServer[] = [];
const urls: Record<string, string> = {};
beforeAll(async () => {
  const [http, sse, websocket] = await Promise.all([
    startFaultHttpServer(),
    startEverythingHttp('sse'),
    startWebSocketServer(),
  ]);
  servers.push(http, sse, websocket);
  urls.http = http.url;
  urls.sse = sse.url;
  urls.websocket = websocket.url;
});
afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const transports: Array<{ kind: string; endpoint: () => EndpointDescriptor }> = [
  { kind: 'stdio', endpoint: () => faultStdio() },
  {
    kind: 'streamable-http',
    endpoint: () => ({
      id: 'http#0',
      server: 'http',
      transport: { type: 'streamable-http', url: urls.http ?? '' },
    }),
  },
  {
    kind: 'sse',
    endpoint: () => ({
      id: 'sse#0',
      server: 'sse',
      transport: { type: 'sse', url: urls.sse ?? '' },
    }),
  },
  {
    kind: 'websocket',
    endpoint: () => ({
      id: 'ws#0',
      server: 'ws',
      transport: { type: 'websocket', url: urls.websocket ?? '' },
    }),
  },
];

describe.each(transports)('arguments that cannot be serialized, over $kind', ({ endpoint }) => {
  it.each(unserializable)(
    '$name: InvalidRequestError, the session is unchanged, the next call succeeds',
    async ({ value, problem }) => {
      const pool = createSessionPool(endpoint(), { healthCheckIntervalMs: 0 });
      const closed: string[] = [];
      pool.on('session-closed', ({ reason }) => closed.push(reason));
      try {
        expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'before' } }))).toBe(
          'Echo: before',
        );
        const session = pool.ready?.()?.id;
        const arguments_ = value() as Record<string, unknown>;
        const failure = await pool
          .callTool({ name: 'echo', arguments: arguments_ })
          .catch((error: unknown) => error);
        expect(InvalidRequestError.isInstance(failure)).toBe(true);
        expect((failure as McpmxError).code).toBe('MCPMX_INVALID_REQUEST');
        expect((failure as Error).message).toMatch(/^tools\/call arguments cannot be serialized: /);
        expect((failure as Error).message).toMatch(problem);
        expect((failure as McpmxError).replica).toBe(endpoint().id);
        expect(closed).toEqual([]);
        expect(pool.ready?.()?.id).toBe(session);
        expect(pool.stats()).toMatchObject({ sessions: 1, inFlight: 0 });
        expect(text(await pool.callTool({ name: 'echo', arguments: { message: 'after' } }))).toBe(
          'Echo: after',
        );
      } finally {
        await pool.close();
      }
    },
  );
});

describe('maxRequestDepth', () => {
  it('arguments at the bound are sent; one level deeper is refused; Infinity disables the check', async () => {
    // params (1) > arguments (2) > deep: the nesting below is the bound minus those two levels.
    const atBound = { message: 'x', deep: nested(8) };
    const beyond = { message: 'x', deep: nested(9) };
    const bounded = createSessionPool(faultStdio(), {
      maxRequestDepth: 10,
      healthCheckIntervalMs: 0,
    });
    const unbounded = createSessionPool(faultStdio(), {
      maxRequestDepth: Number.POSITIVE_INFINITY,
      healthCheckIntervalMs: 0,
    });
    try {
      expect(text(await bounded.callTool({ name: 'echo', arguments: atBound }))).toBe('Echo: x');
      const failure = await bounded
        .callTool({ name: 'echo', arguments: beyond })
        .catch((error: unknown) => error);
      expect(InvalidRequestError.isInstance(failure)).toBe(true);
      expect((failure as Error).message).toContain('deeper than maxRequestDepth (10 levels)');
      expect(text(await unbounded.callTool({ name: 'echo', arguments: beyond }))).toBe('Echo: x');
    } finally {
      await Promise.all([bounded.close(), unbounded.close()]);
    }
  });

  it('is checked at construction', () => {
    expect(() => createSessionPool(faultStdio(), { maxRequestDepth: 0 })).toThrow(
      /maxRequestDepth must be/,
    );
  });
});
