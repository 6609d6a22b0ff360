import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  type ChildServer,
  descendantPids,
  startFaultHttpServer,
  testServers,
} from '@mcpmx/tooling-test-servers';
import {
  Client,
  SdkError,
  SdkErrorCode,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// Each new fault command, observed through a real @modelcontextprotocol/client session over
// stdio and over Streamable HTTP. How @mcpmx/pool and @mcpmx/client react to the same faults
// is tested in tooling/chaos (this package cannot depend on them: they test against it).

const text = (result: { content?: unknown }) =>
  (result.content as { text?: string }[] | undefined)?.[0]?.text;

interface Peer {
  client: Client;
  /** Errors the SDK reported out of band (garbage, unknown ids, late notifications). */
  errors: Error[];
  /** Resolves with the first out-of-band error whose message matches. */
  nextError(pattern: RegExp): Promise<Error>;
}

async function connect(transport: Transport): Promise<Peer> {
  const client = new Client(
    { name: 'fault-commands-test', version: '1.0.0' },
    { capabilities: {} },
  );
  const errors: Error[] = [];
  const waiting: { pattern: RegExp; resolve: (error: Error) => void }[] = [];
  client.onerror = (error) => {
    errors.push(error);
    for (const waiter of [...waiting]) {
      if (!waiter.pattern.test(error.message)) continue;
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(error);
    }
  };
  await client.connect(transport);
  return {
    client,
    errors,
    nextError: (pattern) =>
      new Promise((resolve) => {
        const seen = errors.find((error) => pattern.test(error.message));
        if (seen) resolve(seen);
        else waiting.push({ pattern, resolve });
      }),
  };
}

const stats = async (client: Client) =>
  (await client.callTool({ name: 'stats', arguments: {} })).structuredContent as {
    executions: Record<string, number>;
  };

const isTimeout = (error: unknown) =>
  error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout;

describe.each([
  ['stdio', false],
  ['streamable-http', true],
] as const)('fault commands over %s', (_name, http) => {
  let server: ChildServer | undefined;
  const peers: Peer[] = [];
  const before = descendantPids();

  beforeAll(async () => {
    if (http) server = await startFaultHttpServer();
  });
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.client.close()));
    // `hang { all: true }` wedges a whole HTTP server: start a fresh one for the next test.
    if (server) await server.restart();
  });
  afterAll(async () => {
    await server?.close();
    expect(descendantPids().filter((pid) => !before.includes(pid))).toEqual([]);
  });

  const transport = (): Transport =>
    server
      ? new StreamableHTTPClientTransport(new URL(server.url))
      : new StdioClientTransport({
          command: process.execPath,
          args: [testServers.fault],
          stderr: 'pipe',
        });
  const open = async () => {
    const peer = await connect(transport());
    peers.push(peer);
    return peer;
  };

  it('hang: the call is never answered, while other calls still are', async () => {
    const { client } = await open();
    const hung = client.callTool({ name: 'hang', arguments: {} }, { timeout: 400 });
    await expect(hung).rejects.toSatisfy(isTimeout);
    expect(
      text(await client.callTool({ name: 'echo', arguments: { message: 'still here' } })),
    ).toBe('Echo: still here');
    expect((await stats(client)).executions.hang).toBe(1);
  });

  it('hang { all: true }: from then on the server answers nothing at all', async () => {
    const { client } = await open();
    await expect(
      client.callTool({ name: 'hang', arguments: { all: true } }, { timeout: 400 }),
    ).rejects.toSatisfy(isTimeout);
    await expect(client.listTools({}, { timeout: 400 })).rejects.toSatisfy(isTimeout);
    await expect(
      client.callTool({ name: 'echo', arguments: { message: 'x' } }, { timeout: 400 }),
    ).rejects.toSatisfy(isTimeout);
    if (http) {
      // A brand-new session cannot even complete its handshake.
      const fresh = new Client({ name: 'late', version: '1.0.0' }, { capabilities: {} });
      const connecting = fresh.connect(transport(), { timeout: 400 });
      await expect(connecting).rejects.toSatisfy(isTimeout);
      await fresh.close();
    }
  });

  it('malformed wrong-shape: the answer is a result of the wrong shape, which the SDK rejects', async () => {
    const { client } = await open();
    const call = client.callTool(
      { name: 'malformed', arguments: { kind: 'wrong-shape' } },
      { timeout: 5000 },
    );
    await expect(call).rejects.toSatisfy(
      (error) =>
        error instanceof SdkError &&
        error.code === SdkErrorCode.InvalidResult &&
        /expected array/.test(error.message),
    );
  });

  it('malformed unknown-id: a response to a request nobody sent reaches the client', async () => {
    const peer = await open();
    const call = peer.client.callTool(
      { name: 'malformed', arguments: { kind: 'unknown-id' } },
      { timeout: 800 },
    );
    const reported = peer.nextError(/unknown message ID/);
    if (http) {
      // Over HTTP that response was the POST's only answer: the real call never completes.
      await expect(call).rejects.toSatisfy(isTimeout);
    } else {
      expect(text(await call)).toBe('wrote unknown-id');
    }
    expect((await reported).message).toContain('no-such-request-4711');
  });

  it.each(['invalid-json', 'not-jsonrpc'] as const)(
    'malformed %s: garbage on the wire that is not a JSON-RPC message',
    async (kind) => {
      const peer = await open();
      const call = peer.client.callTool(
        { name: 'malformed', arguments: { kind } },
        { timeout: 5000 },
      );
      if (http) {
        // The POST's body is the garbage: the call itself fails to parse it.
        const error = await call.then(
          () => undefined,
          (rejection: unknown) => rejection as Error,
        );
        expect(error?.message).toMatch(kind === 'invalid-json' ? /JSON/ : /invalid|jsonrpc/i);
      } else if (kind === 'not-jsonrpc') {
        // On stdio the SDK reports a JSON line that is not JSON-RPC out of band; the session
        // survives it.
        const reported = peer.nextError(/invalid|jsonrpc/i);
        expect(text(await call)).toBe(`wrote ${kind}`);
        await reported;
      } else {
        // The SDK's stdio reader skips lines that are not JSON without a word; the wire test
        // below shows the line is there.
        expect(text(await call)).toBe(`wrote ${kind}`);
      }
      expect((await stats(peer.client)).executions.malformed).toBe(1);
    },
  );

  it('flood log: every one of N notifications/message arrives', async () => {
    const { client } = await open();
    const count = 3000;
    let received = 0;
    const all = new Promise<void>((resolve) => {
      client.setNotificationHandler('notifications/message', (notification) => {
        expect(notification.params.logger).toBe('flood');
        if (++received === count) resolve();
      });
    });
    const result = await client.callTool({ name: 'flood', arguments: { count } });
    expect(text(result)).toBe(`sent ${count} log notifications`);
    await all;
    expect(received).toBe(count);
  });

  it('flood progress: N progress notifications for the call', async () => {
    const peer = await open();
    const count = 3000;
    let onTime = 0;
    const result = await peer.client.callTool(
      { name: 'flood', arguments: { count, kind: 'progress' } },
      { onprogress: () => onTime++ },
    );
    expect(text(result)).toBe(`sent ${count} progress notifications`);
    // The SDK client may dispatch the response before the last progress notifications
    // queued behind it (seen on stdio); it reports those as "unknown token" errors. Wait for
    // the last one, so each of the N is accounted for.
    if (onTime < count) await peer.nextError(new RegExp(`"progress":${count},`));
    const late = peer.errors.filter((error) => /progress notification/.test(error.message));
    expect(onTime + late.length).toBe(count);
    expect(onTime).toBeGreaterThan(0);
  });
});

describe('malformed over stdio, on the wire', () => {
  it('invalid-json writes a line that is not JSON before the answer', async () => {
    const child = spawn(process.execPath, [testServers.fault], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const lines = createInterface({ input: child.stdout });
    const seen: string[] = [];
    const answered = (id: number) =>
      new Promise<void>((resolve) => {
        const onLine = (line: string) => {
          seen.push(line);
          try {
            if ((JSON.parse(line) as { id?: number }).id === id) {
              lines.off('line', onLine);
              resolve();
            }
          } catch {
            // Not JSON: kept in `seen`.
          }
        };
        lines.on('line', onLine);
      });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    try {
      const initialized = answered(1);
      send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'wire', version: '1.0.0' },
        },
      });
      await initialized;
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      const called = answered(2);
      send({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'malformed', arguments: { kind: 'invalid-json' } },
      });
      await called;
      const garbage = seen.indexOf('{"jsonrpc":"2.0","id":');
      expect(garbage).toBeGreaterThan(0);
      expect(() => JSON.parse(seen[garbage] as string)).toThrow(SyntaxError);
      expect(JSON.parse(seen.at(-1) as string)).toMatchObject({
        id: 2,
        result: { content: [{ type: 'text', text: 'wrote invalid-json' }] },
      });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });
});
