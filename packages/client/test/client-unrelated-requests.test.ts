import {
  createPushRequestsServer,
  type SessionHttpServer,
  startSessionHttpServer,
  testServers,
} from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionContext } from '../src/index.js';
import { clientsClosedAfterEach, testPool } from './helpers.js';

const texts = (result: { content: unknown[] }) =>
  result.content.map((item) => (item as { text?: string }).text ?? '').join('\n');

describe('server requests sent unrelated to the call (the SDK v2 shortcuts)', () => {
  const makeClient = clientsClosedAfterEach();
  let http: SessionHttpServer;
  beforeAll(async () => {
    http = await startSessionHttpServer({ factory: createPushRequestsServer });
  });
  afterAll(async () => {
    await http?.close();
  });

  const httpEndpoint = () => ({
    id: 'push#http',
    server: 'push',
    transport: { type: 'streamable-http' as const, url: http.url },
  });

  it('Streamable HTTP with a session: elicitInput on the GET stream reaches the call that asked', async () => {
    const contexts: InteractionContext[] = [];
    const client = makeClient({
      endpoints: [httpEndpoint()],
      pool: testPool,
      advertise: { elicitation: true, sampling: true },
    });
    await client.start();
    const named = await client.callTool(
      'ask-name',
      {},
      {
        handlers: {
          onElicitation: (_request, context) => {
            contexts.push(context);
            return { action: 'accept', content: { name: 'Per Call' } };
          },
        },
      },
    );
    expect(texts(named)).toBe('Hello, Per Call');
    const sampled = await client.callTool(
      'ask-model',
      { prompt: 'hello' },
      {
        handlers: {
          onSampling: (_request, context) => {
            contexts.push(context);
            return { model: 'm', role: 'assistant', content: { type: 'text', text: 'sampled' } };
          },
        },
      },
    );
    expect(texts(sampled)).toBe('model said: sampled');
    expect(contexts.map((context) => context.call)).toEqual([
      { method: 'tools/call', name: 'ask-name' },
      { method: 'tools/call', name: 'ask-model' },
    ]);
  });

  it("two calls in flight and no handler but the calls': -32601 naming the ambiguity", async () => {
    const client = makeClient({
      endpoints: [httpEndpoint()],
      pool: { ...testPool, maxSessions: 1 },
      advertise: { elicitation: true, roots: true },
      roots: [],
    });
    await client.start();
    const handlers = {
      onElicitation: () => ({ action: 'accept' as const, content: { name: 'Per Call' } }),
    };
    const waiting = client.callTool('wait-for-roots-change', {}, { handlers });
    const named = await client.callTool('ask-name', {}, { handlers });
    expect(named.isError).toBe(true);
    expect(texts(named)).toContain('no elicitation/create handler for "push"');
    expect(texts(named)).toContain('ambiguous');
    await client.setRoots([]);
    expect(texts(await waiting)).toBe('roots changed');
  });
});

describe('stdio: roots asked outside any call while a short call is in flight', () => {
  const makeClient = clientsClosedAfterEach();

  it('are answered by the client roots, not by the handler of the call in flight', async () => {
    const client = makeClient({
      endpoints: [
        {
          id: 'push#0',
          server: 'push',
          transport: { type: 'stdio', command: process.execPath, args: [testServers.pushRequests] },
        },
      ],
      pool: testPool,
      roots: [{ uri: 'file:///tmp/before' }],
    });
    await client.start();
    const perCall: InteractionContext[] = [];
    const short = client.callTool(
      'wait-for-roots-change',
      {},
      {
        handlers: {
          roots: (context) => {
            perCall.push(context);
            return [{ uri: 'file:///tmp/per-call' }];
          },
        },
      },
    );
    // The server asks for roots on this notification, outside any call, then ends the call.
    await client.setRoots([{ uri: 'file:///tmp/client-roots' }]);
    expect(texts(await short)).toBe('roots changed');
    const seen = texts(await client.callTool('roots-seen', {}));
    expect(JSON.parse(seen)).toEqual({ roots: ['file:///tmp/client-roots'] });
    expect(perCall).toEqual([]);
  });
});
