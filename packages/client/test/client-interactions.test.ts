import { ManualClock } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import type { InteractionContext } from '../src/index.js';
import { clientsClosedAfterEach, everything, testPool } from './helpers.js';

const texts = (result: { content: unknown[] }) =>
  result.content.map((item) => (item as { text?: string }).text ?? '').join('\n');

/** A promise and its resolve, to wait for a handler's call without sleeping. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('server-to-client requests from server-everything (stdio, 2025-11-25)', () => {
  const makeClient = clientsClosedAfterEach();

  it('with no handler set nothing is advertised: no sampling, elicitation or roots tools', async () => {
    const client = makeClient({ endpoints: [everything()], pool: testPool });
    await client.start();
    const names = client.listTools().map((tool) => tool.name);
    expect(names).toContain('get-sum');
    expect(names).not.toContain('trigger-sampling-request');
    expect(names).not.toContain('trigger-elicitation-request');
    expect(names).not.toContain('get-roots-list');
  });

  it('advertise as a function: asked as each session opens, that session is told its answer', async () => {
    let advertise: { sampling?: boolean; elicitation?: boolean } = {};
    const asked: string[] = [];
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      refreshDebounceMs: 10,
      advertise: () => {
        asked.push(JSON.stringify(advertise));
        return advertise;
      },
    });
    // Decided before start: the first session is told sampling, and nothing else.
    advertise = { sampling: true };
    await client.start();
    await expect
      .poll(() => client.listTools().map((tool) => tool.name), { timeout: 15_000 })
      .toContain('trigger-sampling-request');
    const names = client.listTools().map((tool) => tool.name);
    expect(names).not.toContain('trigger-elicitation-request');
    expect(names).not.toContain('get-roots-list');
    expect(asked[0]).toBe('{"sampling":true}');
  });

  it('elicitation: the handler answers, SEP-1034 defaults are applied, the context names the call', async () => {
    const contexts: InteractionContext[] = [];
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      onElicitation: (request, context) => {
        contexts.push(context);
        expect(request.message).toMatch(/provide inputs/);
        return { action: 'accept', content: { name: 'Ada Lovelace', check: true } };
      },
    });
    await client.start();
    const result = await client.callTool('trigger-elicitation-request', {});
    const answer = texts(result);
    expect(answer).toContain('- Name: Ada Lovelace');
    // integer and firstLine were left out by the handler: their schema defaults were filled in.
    expect(answer).toContain('- Favorite Integer: 42');
    expect(answer).toContain('"firstLine": "It was a dark and stormy night."');
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({
      server: 'everything',
      replica: 'everything#0',
      call: { method: 'tools/call', name: 'trigger-elicitation-request' },
    });
  });

  it('elicitation in URL mode: the handler gets the URL, its answer goes back', async () => {
    const asked: { mode?: string; url?: string }[] = [];
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      onElicitation: (request) => {
        asked.push(request as { mode?: string; url?: string });
        return { action: 'accept' };
      },
    });
    await client.start();
    const result = await client.callTool('trigger-url-elicitation', {
      url: 'https://example.com/authorize',
    });
    expect(asked).toMatchObject([{ mode: 'url', url: 'https://example.com/authorize' }]);
    expect(texts(result)).toContain('User completed the URL elicitation flow');
  });

  it('elicitation: a decline is passed through as it is', async () => {
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      onElicitation: () => ({ action: 'decline' }),
    });
    await client.start();
    expect(texts(await client.callTool('trigger-elicitation-request', {}))).toContain('declined');
  });

  it('sampling: the handler answers the createMessage request', async () => {
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      onSampling: (request, context) => {
        expect(context.call).toEqual({ method: 'tools/call', name: 'trigger-sampling-request' });
        const first = request.messages[0]?.content as { text?: string };
        return {
          role: 'assistant',
          model: 'test-model',
          content: { type: 'text', text: `echo of ${first.text?.slice(0, 40)}` },
        };
      },
    });
    await client.start();
    const result = await client.callTool('trigger-sampling-request', { prompt: 'hello model' });
    expect(texts(result)).toContain('echo of');
    expect(texts(result)).toContain('test-model');
  });

  it('roots: a static list is what the server lists', async () => {
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      roots: [{ uri: 'file:///tmp/mcpmx-root', name: 'scratch' }],
    });
    await client.start();
    const result = await client.callTool('get-roots-list', {});
    expect(texts(result)).toContain('file:///tmp/mcpmx-root');
  });

  it('per-call handlers win over the client handler (how the gateway relays)', async () => {
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      onElicitation: () => ({ action: 'decline' }),
    });
    await client.start();
    const result = await client.callTool(
      'trigger-elicitation-request',
      {},
      { handlers: { onElicitation: () => ({ action: 'accept', content: { name: 'Per Call' } }) } },
    );
    expect(texts(result)).toContain('- Name: Per Call');
  });

  it('a throwing handler: the server gets a JSON-RPC error with the message, redacted', async () => {
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      secrets: ['hunter2-secret'],
      onElicitation: () => {
        throw new Error('the user closed the dialog (token hunter2-secret)');
      },
    });
    await client.start();
    const result = await client.callTool('trigger-elicitation-request', {});
    expect(result.isError).toBe(true);
    expect(texts(result)).toContain('the user closed the dialog');
    expect(texts(result)).not.toContain('hunter2-secret');
  });

  it('a handler past interactionTimeoutMs: the server gets an error and the handler signal aborts', async () => {
    const clock = new ManualClock();
    const asked = deferred<AbortSignal>();
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      clock,
      interactionTimeoutMs: 1000,
      onElicitation: (_request, context) => {
        asked.resolve(context.signal);
        return new Promise(() => undefined); // never answers
      },
    });
    await client.start();
    const call = client.callTool('trigger-elicitation-request', {});
    const signal = await asked.promise;
    clock.advance(1000);
    const result = await call;
    expect(signal.aborted).toBe(true);
    expect(result.isError).toBe(true);
    expect(texts(result)).toContain('interactionTimeoutMs (1000 ms)');
  });

  it('the call timeout does not run while a handler waits for the user', async () => {
    const clock = new ManualClock();
    const asked = deferred<void>();
    const answer = deferred<{ action: 'accept'; content: { name: string } }>();
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      clock,
      timeoutMs: 500,
      onElicitation: () => {
        asked.resolve();
        return answer.promise;
      },
    });
    await client.start();
    let settled = false;
    const call = client.callTool('trigger-elicitation-request', {});
    void call.finally(() => {
      settled = true;
    });
    await asked.promise;
    clock.advance(5000); // ten call timeouts while the user thinks
    await Promise.resolve();
    expect(settled).toBe(false);
    answer.resolve({ action: 'accept', content: { name: 'Slow Thinker' } });
    expect(texts(await call)).toContain('- Name: Slow Thinker');
  });

  it('bad handler options are refused at construction, naming the option', () => {
    expect(() => makeClient({ onSampling: 'yes' as never })).toThrow(
      expect.objectContaining({
        code: 'MCPMX_INVALID_OPTION',
        message: expect.stringMatching(/^onSampling must be a function/),
      }),
    );
    expect(() => makeClient({ roots: [{ uri: '/not/a/uri' }] })).toThrow(
      /roots\[0\]\.uri must be a file:\/\/ URI/,
    );
    expect(() => makeClient({ interactionTimeoutMs: 0 })).toThrow(/interactionTimeoutMs/);
    expect(() => makeClient({ advertise: { logging: true } as never })).toThrow(
      /advertise\.logging must be one of elicitation, sampling, roots/,
    );
    expect(() => makeClient({ advertise: { sampling: 'yes' } as never })).toThrow(
      /advertise\.sampling must be a boolean/,
    );
    expect(() => makeClient({ advertise: { elicitation: { voice: true } } as never })).toThrow(
      /advertise\.elicitation\.voice must be form or url/,
    );
    expect(() => makeClient({ servers: { x: { onElicitation: 1 as never } } })).toThrow(
      /servers\.x\.onElicitation must be a function/,
    );
  });
});
