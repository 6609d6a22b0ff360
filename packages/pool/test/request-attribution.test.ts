import type { SessionPool } from '@mcpmx/core';
import {
  createPushRequestsServer,
  type SessionHttpServer,
  startSessionHttpServer,
  testServers,
} from '@mcpmx/tooling-test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSessionPool,
  type PoolInteractions,
  type ServerRequest,
  type ServerRequestContext,
} from '../src/index.js';
import { stdioEndpoint } from './helpers.js';

const texts = (result: { content: unknown[] }) =>
  result.content.map((item) => (item as { text?: string }).text ?? '').join('\n');

/** Answers every request with the attribution's name, and records what each one came with. */
function recording(capabilities: PoolInteractions['capabilities']) {
  const asked: { request: ServerRequest; context: ServerRequestContext }[] = [];
  const interactions: PoolInteractions = {
    capabilities,
    onRequest: async (request, context) => {
      asked.push({ request, context });
      const name = (context.attribution as { name?: string } | undefined)?.name ?? 'nobody';
      if (request.method === 'sampling/createMessage') {
        return { model: 'm', role: 'assistant', content: { type: 'text', text: name } };
      }
      return { action: 'accept', content: { name } };
    },
  };
  return { interactions, asked };
}

describe('a server request sent unrelated (the SDK v2 shortcuts): the sole-call rule', () => {
  const pools: SessionPool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });
  let http: SessionHttpServer;
  beforeAll(async () => {
    http = await startSessionHttpServer({ factory: createPushRequestsServer });
  });
  afterAll(async () => {
    await http?.close();
  });

  const httpPool = (interactions: PoolInteractions) => {
    const pool = createSessionPool(
      { id: 'push#http', server: 'push', transport: { type: 'streamable-http', url: http.url } },
      { interactions, healthCheckIntervalMs: 0, maxSessions: 1 },
    );
    pools.push(pool);
    return pool;
  };

  it('Streamable HTTP with a session: a GET-stream request belongs to the only call in flight', async () => {
    const { interactions, asked } = recording({ elicitation: true, sampling: true });
    const pool = httpPool(interactions);
    const named = await pool.callTool(
      { name: 'ask-name', arguments: {} },
      { attribution: { name: 'Ada' }, timeoutMs: 10_000 },
    );
    expect(texts(named)).toBe('Hello, Ada');
    const sampled = await pool.callTool(
      { name: 'ask-model', arguments: { prompt: 'hi' } },
      { attribution: { name: 'Grace' }, timeoutMs: 10_000 },
    );
    expect(texts(sampled)).toBe('model said: Grace');
    expect(asked.map(({ context }) => context.basis)).toEqual(['sole-call', 'sole-call']);
  });

  it('two calls in flight on the session: the request is ambiguous, and belongs to neither', async () => {
    const { interactions, asked } = recording({ elicitation: true, roots: true });
    const pool = httpPool(interactions);
    // Stays in flight until the roots change, so two calls are in flight when ask-name asks.
    const waiting = pool.callTool(
      { name: 'wait-for-roots-change', arguments: {} },
      { attribution: { name: 'Waiter' }, timeoutMs: 10_000 },
    );
    const named = await pool.callTool(
      { name: 'ask-name', arguments: {} },
      { attribution: { name: 'Ada' }, timeoutMs: 10_000 },
    );
    expect(texts(named)).toBe('Hello, nobody');
    expect(asked[0]?.context).toMatchObject({ basis: 'ambiguous', attribution: undefined });
    await pool.notifyRootsChanged?.();
    expect(texts(await waiting)).toBe('roots changed');
  });
});

describe('stdio: a request made outside any call while a short call is in flight', () => {
  let pool: SessionPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('roots asked outside a call are not pinned to the call, nor cancelled when it ends', async () => {
    let callEnded: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => {
      callEnded = resolve;
    });
    const contexts: ServerRequestContext[] = [];
    let abortedAfterTheCall: boolean | undefined;
    pool = createSessionPool(stdioEndpoint(testServers.pushRequests, [], {}, 'push#0'), {
      healthCheckIntervalMs: 0,
      interactions: {
        capabilities: { roots: true },
        onRequest: async (_request, context) => {
          contexts.push(context);
          // Answers after the short call has ended: the call's end must not cancel this.
          await ended;
          abortedAfterTheCall = context.signal.aborted;
          return { roots: [{ uri: 'file:///tmp/outside-any-call' }] };
        },
      },
    });
    // The session is open (so the notification below has somewhere to go), nothing asked yet.
    expect(texts(await pool.callTool({ name: 'roots-seen', arguments: {} }))).toBe('nothing asked');
    const short = pool.callTool(
      { name: 'wait-for-roots-change', arguments: {} },
      { attribution: { name: 'Short' }, timeoutMs: 10_000 },
    );
    // The server asks for roots on this notification, outside any call, and then ends the call.
    await pool.notifyRootsChanged?.();
    expect(texts(await short)).toBe('roots changed');
    callEnded();
    const seen = await pool.callTool({ name: 'roots-seen', arguments: {} });
    expect(JSON.parse(texts(seen))).toEqual({ roots: ['file:///tmp/outside-any-call'] });
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ attribution: undefined, basis: 'none' });
    expect(abortedAfterTheCall).toBe(false);
  });

  it("an elicitation during the only call in flight is still that call's", async () => {
    const { interactions, asked } = recording({ elicitation: true });
    pool = createSessionPool(stdioEndpoint(testServers.pushRequests, [], {}, 'push#0'), {
      healthCheckIntervalMs: 0,
      interactions,
    });
    const named = await pool.callTool(
      { name: 'ask-name', arguments: {} },
      { attribution: { name: 'Ada' }, timeoutMs: 10_000 },
    );
    expect(texts(named)).toBe('Hello, Ada');
    expect(asked[0]?.context.basis).toBe('sole-call');
  });
});
