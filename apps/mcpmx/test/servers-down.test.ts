import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort, testServers } from '@mcpmx/tooling-test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from './gateway-process.js';
import { runCli } from './run-cli.js';

// Issue 14, row #3: one server of several being down (a missing command, a closed port) must
// not hold the commands for the pool's acquire timeout, and `serve --http` listens at once.
// The timeouts below only prove that nothing hangs; they measure nothing.
const NO_HANG_MS = 60_000;
const fault = { command: process.execPath, args: [testServers.fault] };

describe('the CLI with servers that are down (the built bin)', () => {
  let dir: string;
  let config: string;
  let closedPort: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-down-'));
    config = join(dir, 'mcp.json');
    closedPort = await getFreePort();
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: {
          fault,
          missing: { command: 'mcpmx-no-such-command' },
          refused: { type: 'http', url: `http://127.0.0.1:${closedPort}/mcp` },
        },
      }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const reportsTheDownServers = (stderr: string) => {
    expect(stderr).toContain('mcpmx: missing is down:');
    expect(stderr).toContain('command not found: "mcpmx-no-such-command"');
    expect(stderr).toContain('mcpmx: refused is down:');
    expect(stderr).toContain(`connection refused (127.0.0.1:${closedPort})`);
  };

  it(
    "tools --json completes with the working server's tools and names the down ones on stderr",
    async () => {
      const { code, stdout, stderr } = await runCli(['tools', '--config', config, '--json']);
      expect(code).toBe(0);
      const tools = JSON.parse(stdout) as { name: string; server: string }[];
      expect(tools).toContainEqual(expect.objectContaining({ name: 'echo', server: 'fault' }));
      reportsTheDownServers(stderr);
    },
    NO_HANG_MS,
  );

  it(
    'call routes to the working server and names the down ones on stderr',
    async () => {
      const { code, stdout, stderr } = await runCli([
        'call',
        'echo',
        '--args',
        '{"message":"hi"}',
        '--config',
        config,
      ]);
      expect([code, stdout.trim()]).toEqual([0, 'Echo: hi']);
      reportsTheDownServers(stderr);
    },
    NO_HANG_MS,
  );

  it(
    'status --json shows the down replicas with why',
    async () => {
      const { stdout, stderr } = await runCli(['status', '--config', config, '--json']);
      const snapshot = JSON.parse(stdout) as {
        servers: { name: string; replicas: { status: string; statusReason?: string }[] }[];
      };
      const status = (name: string) =>
        snapshot.servers.find((server) => server.name === name)?.replicas[0]?.status;
      expect([status('fault'), status('missing'), status('refused')]).toEqual([
        'up',
        'down',
        'down',
      ]);
      reportsTheDownServers(stderr);
    },
    NO_HANG_MS,
  );
});

describe('serve --http with a server that never answers', () => {
  let gateway: GatewayProcess | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it(
    'listens before start() ends, then serves the servers that answered, naming the one down',
    async () => {
      gateway = await startGatewayProcess(
        {
          mcpServers: {
            fault,
            silent: { command: process.execPath, args: [testServers.silent] },
          },
        },
        [],
      );
      // startGatewayProcess resolves on the "serving … at <url>/mcp" line, written once start()
      // ended; the "listening on" line is written once the port is open, and came first.
      const served = await gateway.waitForOutput(/serving [^\n]*/);
      const output = gateway.output();
      expect(output).toContain(`listening on ${gateway.url}, connecting`);
      expect(output.indexOf('listening on')).toBeLessThan(output.indexOf('serving'));
      expect(served).toContain('(down, reconnecting: silent)');
      expect(output).toContain('silent did not answer within startTimeoutMs');
    },
    NO_HANG_MS,
  );
});
