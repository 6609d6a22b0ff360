import {
  ConfigError,
  ConnectError,
  InvalidOptionError,
  ManualClock,
  StartTimeoutError,
} from '@mcpmx/core';
import {
  type ChildServer,
  createFaultServer,
  getFreePort,
  InterceptingTransport,
  startFaultHttpServer,
  testServers,
} from '@mcpmx/tooling-test-servers';
import { InMemoryTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMultiServerClient } from '../src/index.js';
import { clientsClosedAfterEach, testPool } from './helpers.js';

const fault = { command: process.execPath, args: [testServers.fault] };
/**
 * Waits far longer than the test's own timeout: if start() waited for an acquire, or for the
 * start timeout, the test would time out instead of passing.
 */
const patientPool = { ...testPool, acquireTimeoutMs: 120_000, connectTimeoutMs: 120_000 };
const NO_HANG_MS = 30_000;

describe('start() with servers that are down', () => {
  const makeClient = clientsClosedAfterEach();
  const children: ChildServer[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => child.close()));
  });

  it(
    'resolves once each server is up or failed its first attempt, and reports the failed ones (was: held ~10 s by the acquire timeout)',
    async () => {
      const closedPort = await getFreePort();
      const client = makeClient({
        config: {
          mcpServers: {
            fault,
            missing: { command: 'mcpmx-no-such-command' },
            refused: { type: 'http', url: `http://127.0.0.1:${closedPort}/mcp` },
          },
        },
        pool: patientPool,
        startTimeoutMs: 120_000,
      });
      const errors: string[] = [];
      client.on('error', ({ server }) => errors.push(server ?? ''));
      const result = await client.start();

      expect(result.up).toEqual(['fault']);
      expect(result.failed.map(({ server }) => server)).toEqual(['missing', 'refused']);
      const [missing, refused] = result.failed.map(({ error }) => error);
      expect(ConnectError.isInstance(missing)).toBe(true);
      expect(missing?.message).toContain('command not found: "mcpmx-no-such-command"');
      expect(ConnectError.isInstance(refused)).toBe(true);
      expect(refused?.message).toContain(`connection refused (127.0.0.1:${closedPort})`);
      expect(errors.sort()).toEqual(['missing', 'refused']);
      // The server that is up serves at once.
      expect(client.listTools().some((tool) => tool.name === 'echo')).toBe(true);
      const answer = await client.callTool('echo', { message: 'hi' });
      expect(answer.isError).not.toBe(true);
    },
    NO_HANG_MS,
  );

  it(
    'a server down at start keeps reconnecting and joins the catalog once it is up',
    async () => {
      const port = await getFreePort();
      const client = makeClient({
        config: {
          mcpServers: {
            fault,
            late: { type: 'http', url: `http://127.0.0.1:${port}/mcp` },
          },
        },
        naming: { policy: 'prefix' },
        pool: patientPool,
        startTimeoutMs: 120_000,
      });
      const result = await client.start();
      expect(result.failed.map(({ server }) => server)).toEqual(['late']);
      expect(client.listTools().some((tool) => tool.name.startsWith('late'))).toBe(false);

      const joined = new Promise<void>((resolve) => {
        client.on('catalog-changed', ({ servers }) => {
          if (servers.includes('late')) resolve();
        });
      });
      children.push(await startFaultHttpServer({ port }));
      await joined;
      expect(client.listTools().some((tool) => tool.name.startsWith('late'))).toBe(true);
    },
    NO_HANG_MS,
  );

  it('a server that never answers is reported at startTimeoutMs with a StartTimeoutError', async () => {
    const clock = new ManualClock();
    const client = makeClient({
      config: {
        mcpServers: { fault, silent: { command: process.execPath, args: [testServers.silent] } },
      },
      pool: patientPool,
      clock,
      startTimeoutMs: 2000,
    });
    const starting = client.start();
    // The silent server's process runs and never answers; the fault server's answer arrives on
    // its own. Only the start timeout is pending on the clock once the fault server is up.
    await new Promise<void>((resolve) => {
      const off = client.on('replica-status', ({ server, to }) => {
        if (server === 'fault' && to === 'up') {
          off();
          resolve();
        }
      });
    });
    // The start timeout is the one timer of 2000 ms: once it is set, it is the one that fires.
    await vi.waitFor(() => expect(clock.pending()).toContain(2000));
    let result: Awaited<typeof starting> | undefined;
    void starting.then((value) => {
      result = value;
    });
    expect(result).toBeUndefined();
    clock.advance(2000);
    result = await starting;
    expect(result.up).toEqual(['fault']);
    const [silent] = result.failed;
    expect(silent?.server).toBe('silent');
    expect(StartTimeoutError.isInstance(silent?.error)).toBe(true);
    expect(silent?.error.message).toContain('startTimeoutMs (2000 ms)');
  });

  it('the errors start() reports pass the redactor: no config secret, no URL query', async () => {
    const closedPort = await getFreePort();
    const secret = 'start-secret-4f1c9a';
    const client = makeClient({
      config: {
        mcpServers: {
          fault,
          refused: { type: 'http', url: `http://127.0.0.1:${closedPort}/mcp?key=\${API_KEY}` },
          missing: { command: `mcpmx-missing-\${API_KEY}` },
        },
      },
      env: { API_KEY: secret },
      pool: patientPool,
    });
    const { failed } = await client.start();
    expect(failed.map(({ server }) => server)).toEqual(['missing', 'refused']);
    for (const { error } of failed) {
      const seen = [error.message, String((error.cause as Error | undefined)?.message)];
      expect(seen.join('\n')).not.toContain(secret);
      expect(seen.join('\n')).not.toContain('key=');
    }
  });

  it('a catalog that does not arrive is reported at startTimeoutMs, and adopted when it does', async () => {
    const servers: ReturnType<typeof createFaultServer>[] = [];
    const held: (() => void)[] = [];
    const clock = new ManualClock();
    const client = makeClient({
      endpoints: [
        { id: 'slow#0', server: 'slow', transport: { type: 'stdio', command: 'unused' } },
      ],
      pool: {
        ...patientPool,
        // An in-process fault server whose tools/list is held back until the test lets it go.
        createTransport: () => {
          const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
          const server = createFaultServer();
          servers.push(server);
          void server.connect(serverSide);
          const intercepting = new InterceptingTransport(clientSide);
          intercepting.intercept = (message) => {
            if (!('method' in message) || message.method !== 'tools/list') return 'pass';
            held.push(() => void clientSide.send(message));
            return 'drop';
          };
          return intercepting;
        },
      },
      clock,
      startTimeoutMs: 4321,
    });
    try {
      const starting = client.start();
      // Contact (up at once, in process), then the catalog wait: its timer is the second 4321.
      await vi.waitFor(() => expect(held.length).toBeGreaterThan(0));
      await vi.waitFor(() => expect(clock.pending()).toContain(4321));
      clock.advance(4321);
      const { up, failed } = await starting;
      expect(up).toEqual([]);
      expect(failed.map(({ server }) => server)).toEqual(['slow']);
      expect(StartTimeoutError.isInstance(failed[0]?.error)).toBe(true);
      expect(failed[0]?.error.message).toContain('the catalog of slow did not arrive');

      const joined = new Promise<void>((resolve) => {
        client.on('catalog-changed', () => resolve());
      });
      for (const release of held.splice(0)) release();
      await joined;
      expect(client.listTools().some((tool) => tool.name === 'echo')).toBe(true);
    } finally {
      await client.close();
      await Promise.all(servers.map((server) => server.close()));
    }
  });

  it('close() while start() waits ends the wait and leaves no timer behind', async () => {
    const clock = new ManualClock();
    const client = makeClient({
      config: { mcpServers: { silent: { command: process.execPath, args: [testServers.silent] } } },
      pool: patientPool,
      clock,
      startTimeoutMs: 60_000,
    });
    const starting = client.start();
    await vi.waitFor(() => expect(clock.pending()).toContain(60_000));
    await client.close();
    const { up, failed } = await starting;
    expect(up).toEqual([]);
    expect(failed.map(({ server }) => server)).toEqual(['silent']);
    expect(failed[0]?.error.message).toContain('the client is closed');
    expect(clock.pending()).toEqual([]);
  });

  it('startTimeoutMs is validated at construction, naming the option', () => {
    expect(() => createMultiServerClient({ startTimeoutMs: 0 })).toThrow(InvalidOptionError);
    expect(() => createMultiServerClient({ startTimeoutMs: Number.NaN })).toThrow(/startTimeoutMs/);
  });

  it('a bad config given as an object rejects start() with the ConfigError itself', async () => {
    const client = makeClient({
      config: { mcpServers: { memory: { comand: 'npx' } } },
      pool: testPool,
    });
    const error = await client.start().catch((failure: unknown) => failure);
    expect(ConfigError.isInstance(error)).toBe(true);
    const paths = (error as ConfigError).issues.map((issue) => issue.path);
    expect(paths.some((path) => path.startsWith('mcpServers.memory'))).toBe(true);
  });
});
