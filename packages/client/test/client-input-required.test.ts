import { type InputRequiredServer, startInputRequiredServer } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionContext } from '../src/index.js';
import { clientsClosedAfterEach, testPool } from './helpers.js';

const texts = (result: { content: unknown[] }) =>
  result.content.map((item) => (item as { text?: string }).text ?? '').join('\n');

const replicaOf = (server: InputRequiredServer, logical = 'mrtr') => ({
  id: `${logical}#${server.name}`,
  server: logical,
  transport: { type: 'streamable-http' as const, url: server.url },
});

describe('2026-07-28 input_required (MRTR) from an SDK v2 server, stateless Streamable HTTP', () => {
  const makeClient = clientsClosedAfterEach();
  let a: InputRequiredServer;
  let b: InputRequiredServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([startInputRequiredServer('a'), startInputRequiredServer('b')]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('elicitation: answered by the handler, retried with the answer and requestState, transparently', async () => {
    const contexts: InteractionContext[] = [];
    const client = makeClient({
      endpoints: [replicaOf(a)],
      pool: testPool,
      onElicitation: (request, context) => {
        contexts.push(context);
        expect(request.message).toBe('Deploy to prod?');
        return { action: 'accept', content: { confirm: true } };
      },
    });
    await client.start();
    const before = a.legs;
    const result = await client.callTool('deploy', { env: 'prod' });
    // `note` was left out: its schema default was filled in (SEP-1034), as on 2025-11-25.
    expect(texts(result)).toBe('deployed to prod by a (no note)');
    expect(a.legs - before).toBe(2);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({
      server: 'mrtr',
      replica: 'mrtr#a',
      call: { method: 'tools/call', name: 'deploy' },
    });
  });

  it('roots and sampling come in input_required too, answered by the same handlers', async () => {
    const client = makeClient({
      endpoints: [replicaOf(a)],
      pool: testPool,
      roots: [{ uri: 'file:///srv/one' }, { uri: 'file:///srv/two' }],
      onSampling: () => ({
        role: 'assistant',
        model: 'm',
        content: { type: 'text', text: 'forty-two' },
      }),
    });
    await client.start();
    expect(texts(await client.callTool('where-am-i', {}))).toBe('file:///srv/one,file:///srv/two');
    expect(texts(await client.callTool('think', { prompt: 'meaning?' }))).toBe(
      'model said: forty-two',
    );
  });

  it('resources/read and prompts/get take input rounds too, with the call named in the context', async () => {
    const contexts: InteractionContext[] = [];
    const client = makeClient({
      endpoints: [replicaOf(a)],
      pool: testPool,
      onElicitation: (request, context) => {
        contexts.push(context);
        expect(request.message).toBe('Open the vault?');
        return { action: 'accept', content: { confirm: true, note: 'read' } };
      },
      onSampling: (_request, context) => {
        contexts.push(context);
        return { role: 'assistant', model: 'm', content: { type: 'text', text: 'all quiet' } };
      },
    });
    await client.start();
    const read = await client.readResource('mrtr://vault');
    expect(read.contents).toEqual([{ uri: 'mrtr://vault', text: 'a vault opened (read)' }]);
    const prompt = await client.getPrompt('briefing', { topic: 'ops' });
    expect(prompt.messages[0]?.content).toEqual({
      type: 'text',
      text: 'briefing on ops by a: all quiet',
    });
    expect(contexts.map((context) => context.call)).toEqual([
      { method: 'resources/read', uri: 'mrtr://vault' },
      { method: 'prompts/get', name: 'briefing' },
    ]);
  });

  it('advertise names elicitation modes: a server told url mode only may not ask for a form', async () => {
    const formOnly = makeClient({
      endpoints: [replicaOf(a)],
      pool: testPool,
      advertise: { elicitation: { form: true } },
    });
    const urlOnly = makeClient({
      endpoints: [replicaOf(a)],
      pool: testPool,
      advertise: { elicitation: { url: true } },
    });
    await Promise.all([formOnly.start(), urlOnly.start()]);
    const handlers = {
      onElicitation: () => ({ action: 'accept' as const, content: { confirm: true } }),
    };
    expect(texts(await formOnly.callTool('deploy', { env: 'f' }, { handlers }))).toBe(
      'deployed to f by a (no note)',
    );
    // The server checks its input requests against the capabilities the request declares.
    await expect(urlOnly.callTool('deploy', { env: 'u' }, { handlers })).rejects.toThrow(
      /elicitation|capabilit/i,
    );
  });

  it('per-call handlers answer their own call', async () => {
    const client = makeClient({
      endpoints: [replicaOf(a)],
      pool: testPool,
      advertise: { elicitation: true },
    });
    await client.start();
    const [yes, no] = await Promise.all([
      client.callTool(
        'deploy',
        { env: 'x' },
        {
          handlers: {
            onElicitation: () => ({ action: 'accept', content: { confirm: true, note: 'yes' } }),
          },
        },
      ),
      client.callTool(
        'deploy',
        { env: 'y' },
        {
          handlers: { onElicitation: () => ({ action: 'accept', content: { confirm: false } }) },
        },
      ),
    ]);
    expect(texts(yes)).toBe('deployed to x by a (yes)');
    expect(texts(no)).toBe('not deployed to y by a (no note)');
  });

  it('the retry goes to the replica that asked: no requestState ever reaches the other one', async () => {
    const client = makeClient({
      endpoints: [replicaOf(a), replicaOf(b)],
      pool: testPool,
      onElicitation: () => ({ action: 'accept', content: { confirm: true } }),
    });
    await client.start();
    const results = await Promise.all(
      // Affinity keys spread the calls over both replicas (consistent hashing).
      Array.from({ length: 20 }, (_, index) =>
        client.callTool('deploy', { env: `e${index}` }, { affinityKey: `key-${index}` }),
      ),
    );
    const by = results.map((result) => texts(result).match(/by (\w)/)?.[1]);
    expect(new Set(by)).toEqual(new Set(['a', 'b'])); // both replicas served
    expect(a.foreignStates + b.foreignStates).toBe(0);
  });

  it('the replica that asked goes away after the user answered: no failover replays the input', async () => {
    const [c, d] = await Promise.all([
      startInputRequiredServer('c'),
      startInputRequiredServer('d'),
    ]);
    try {
      const servers = new Map([
        ['mrtr#c', c],
        ['mrtr#d', d],
      ]);
      let asked: InputRequiredServer | undefined;
      const client = makeClient({
        endpoints: [replicaOf(c), replicaOf(d)],
        pool: testPool,
        onElicitation: async (_request, context) => {
          asked = servers.get(context.replica);
          await asked?.close(); // gone before the retry with the user's answer is sent
          return { action: 'accept', content: { confirm: true } };
        },
      });
      await client.start();
      const legs = c.legs + d.legs;
      const error = await client.callTool('deploy', { env: 'prod' }).catch((caught) => caught);
      // deploy is not idempotent: the call fails, saying it may have run; nothing is resent.
      expect(error).toMatchObject({ reachedServer: 'unknown' });
      expect(c.legs + d.legs - legs).toBe(1);
      expect(c.foreignStates + d.foreignStates).toBe(0);
    } finally {
      await Promise.all([c.close(), d.close()]);
    }
  });

  it('a handler that throws fails the call with InteractionError, not retried', async () => {
    const client = makeClient({
      endpoints: [replicaOf(a)],
      pool: testPool,
      onElicitation: () => {
        throw new Error('the user went away');
      },
    });
    await client.start();
    const before = a.legs;
    await expect(client.callTool('deploy', { env: 'prod' })).rejects.toMatchObject({
      code: 'MCPMX_INTERACTION_FAILED',
      message: expect.stringContaining('the user went away'),
    });
    expect(a.legs - before).toBe(1);
  });

  it('a server that never stops asking: InteractionError after 10 rounds', async () => {
    const client = makeClient({
      endpoints: [replicaOf(a)],
      pool: testPool,
      roots: [{ uri: 'file:///srv' }],
    });
    await client.start();
    const before = a.legs;
    await expect(client.callTool('loop', {})).rejects.toMatchObject({
      code: 'MCPMX_INTERACTION_FAILED',
      message: expect.stringContaining('after 10 rounds'),
    });
    expect(a.legs - before).toBe(11);
  });

  it('subscribeResource goes through subscriptions/listen: updates arrive, unsubscribe ends them', async () => {
    const client = makeClient({ endpoints: [replicaOf(a)], pool: testPool });
    await client.start();
    const heard: { uri: string; server: string }[] = [];
    let wake: () => void = () => undefined;
    const next = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const unsubscribe = await client.subscribeResource('mrtr://status', (update) => {
      heard.push(update);
      wake();
    });
    a.touch();
    await next;
    expect(heard).toEqual([{ uri: 'mrtr://status', server: 'mrtr' }]);
    await unsubscribe();
    a.touch();
    await client.readResource('mrtr://status'); // a round trip after the touch
    expect(heard).toHaveLength(1);
  });

  it('with no handler set nothing is advertised: the server refuses to ask, naming the capability', async () => {
    const client = makeClient({ endpoints: [replicaOf(a)], pool: testPool });
    await client.start();
    await expect(client.callTool('deploy', { env: 'prod' })).rejects.toMatchObject({
      code: 'MCPMX_REMOTE_ERROR',
      message: expect.stringContaining(
        'client capabilities do not declare the required capability',
      ),
    });
  });
});
