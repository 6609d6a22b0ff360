import type { SessionPool } from '@mcpmx/core';
import { ManualClock } from '@mcpmx/core';
import { type ChildServer, startEverythingHttp } from '@mcpmx/tooling-test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSessionPool,
  type PoolInteractions,
  type ServerRequestContext,
} from '../src/index.js';
import { everythingStdio } from './helpers.js';

/** Closes every pool a test made, after it, so a failing test leaves no process behind. */
function poolsClosedAfterEach() {
  const pools: SessionPool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });
  return (pool: SessionPool) => {
    pools.push(pool);
    return pool;
  };
}

const texts = (result: { content: unknown[] }) =>
  result.content.map((item) => (item as { text?: string }).text ?? '').join('\n');

/** Interactions that answer elicitations with the attribution's name and record each context. */
function recording(): PoolInteractions & { contexts: ServerRequestContext[] } {
  const contexts: ServerRequestContext[] = [];
  return {
    contexts,
    capabilities: { elicitation: true },
    onRequest: async (_request, context) => {
      contexts.push(context);
      const name = (context.attribution as { name?: string } | undefined)?.name ?? 'nobody';
      return { action: 'accept', content: { name } };
    },
  };
}

describe('PoolInteractions: server requests, attributed to the request they belong to', () => {
  const track = poolsClosedAfterEach();
  let http: ChildServer;
  beforeAll(async () => {
    http = await startEverythingHttp('streamableHttp');
  });
  afterAll(async () => {
    await http?.close();
  });

  it("Streamable HTTP: a request on a POST stream carries that request's attribution", async () => {
    const interactions = recording();
    const pool = track(
      createSessionPool(
        { id: 'e#http', server: 'e', transport: { type: 'streamable-http', url: http.url } },
        { interactions, healthCheckIntervalMs: 0 },
      ),
    );
    const call = (name: string) =>
      pool.callTool(
        { name: 'trigger-elicitation-request', arguments: {} },
        { attribution: { name }, timeoutMs: 10_000 },
      );
    const [one, two] = await Promise.all([call('One'), call('Two')]);
    expect(texts(one)).toContain('- Name: One');
    expect(texts(two)).toContain('- Name: Two');
    expect(interactions.contexts.map((context) => context.replica)).toEqual(['e#http', 'e#http']);
  });

  it('stdio: the sole attributed request in flight; two in flight: none', async () => {
    const interactions = recording();
    const pool = track(
      createSessionPool(everythingStdio(), { interactions, healthCheckIntervalMs: 0 }),
    );
    const call = (name: string) =>
      pool.callTool(
        { name: 'trigger-elicitation-request', arguments: {} },
        { attribution: { name }, timeoutMs: 10_000 },
      );
    expect(texts(await call('Alone'))).toContain('- Name: Alone');
    const both = await Promise.all([call('A'), call('B')]);
    for (const result of both) expect(texts(result)).toContain('- Name: nobody');
  });

  it('a handler that throws: the server gets a JSON-RPC error with its message', async () => {
    const pool = track(
      createSessionPool(everythingStdio(), {
        healthCheckIntervalMs: 0,
        interactions: {
          capabilities: { elicitation: true },
          onRequest: async () => {
            throw Object.assign(new Error('nobody answers this'), { code: -32601 });
          },
        },
      }),
    );
    const result = await pool.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(result.isError).toBe(true);
    expect(texts(result)).toContain('nobody answers this');
  });

  it('the request timeout is held while the handler answers (ManualClock)', async () => {
    const clock = new ManualClock();
    let answer: (value: Record<string, unknown>) => void = () => undefined;
    let asked: () => void = () => undefined;
    const askedOnce = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const pool = track(
      createSessionPool(everythingStdio(), {
        clock,
        healthCheckIntervalMs: 0,
        interactions: {
          capabilities: { elicitation: true },
          onRequest: () =>
            new Promise((resolve) => {
              answer = resolve;
              asked();
            }),
        },
      }),
    );
    const call = pool.callTool(
      { name: 'trigger-elicitation-request', arguments: {} },
      { attribution: {}, timeoutMs: 100 },
    );
    await askedOnce;
    clock.advance(60_000);
    answer({ action: 'accept', content: { name: 'Patient' } });
    expect(texts(await call)).toContain('- Name: Patient');
    await pool.close();
    expect(clock.pending()).toEqual([]); // no timer outlives close()
  });

  it('without interactions nothing is advertised: the elicitation tool is not offered', async () => {
    const pool = track(createSessionPool(everythingStdio(), { healthCheckIntervalMs: 0 }));
    const { tools } = await pool.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain('trigger-elicitation-request');
  });
});
