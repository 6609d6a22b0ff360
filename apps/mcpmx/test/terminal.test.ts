import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientSnapshot } from '@mcpmx/client';
import { testServers } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('mcpmx tools, call and status (the built bin)', () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-cli-'));
    config = join(dir, 'mcp.json');
    const fault = { command: process.execPath, args: [testServers.fault] };
    await writeFile(config, JSON.stringify({ mcpServers: { alpha: fault, beta: fault } }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('tools --json lists the federated tools with their server', async () => {
    const { code, stdout } = await runCli(['tools', '--config', config, '--json']);
    expect(code).toBe(0);
    const tools = JSON.parse(stdout) as { name: string; server: string }[];
    expect(tools).toContainEqual(expect.objectContaining({ name: 'alpha__echo', server: 'alpha' }));
    expect(tools).toContainEqual(expect.objectContaining({ name: 'beta__echo', server: 'beta' }));
  });

  it('tools --json gives each input schema and the annotations (was: name, server, text only)', async () => {
    const { stdout } = await runCli(['tools', '--config', config, '--json']);
    const echo = (JSON.parse(stdout) as Record<string, unknown>[]).find(
      (tool) => tool.name === 'alpha__echo',
    );
    expect(echo).toMatchObject({
      server: 'alpha',
      serverName: 'echo',
      inputSchema: { type: 'object', properties: { message: { type: 'string' } } },
      annotations: { readOnlyHint: true },
    });
  });

  it('call says which server and replica answered: on stderr, and as --json fields', async () => {
    const args = ['call', 'beta__echo', '--args', '{"message":"hi"}', '--config', config];
    const plain = await runCli(args);
    expect([plain.code, plain.stdout.trim()]).toEqual([0, 'Echo: hi']);
    expect(plain.stderr.trim()).toBe('answered by server "beta", replica beta#0');
    const json = await runCli([...args, '--json']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      server: 'beta',
      replica: 'beta#0',
      content: [{ type: 'text', text: 'Echo: hi' }],
      _meta: { 'io.mcpmx/server': 'beta', 'io.mcpmx/replica': 'beta#0' },
    });
  });

  it('call prints the result; a tool error or bad --args exits 1 with a message', async () => {
    const ok = await runCli([
      'call',
      'beta__echo',
      '--args',
      '{"message":"hi"}',
      '--config',
      config,
    ]);
    expect([ok.code, ok.stdout.trim()]).toEqual([0, 'Echo: hi']);
    const failed = await runCli(['call', 'alpha__fail', '--config', config]);
    expect([failed.code, failed.stdout.trim()]).toEqual([1, 'injected failure']);
    const bad = await runCli(['call', 'alpha__echo', '--args', '[1]', '--config', config]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--args must be a JSON object');
    const unknown = await runCli(['call', 'ehco', '--config', config]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown tool "ehco"');
  });

  it('applies the settings of the config (naming, cache, balancer) and names every bad one', async () => {
    const settings = join(dir, 'settings.json');
    const fault = { command: process.execPath, args: [testServers.fault] };
    await writeFile(
      settings,
      JSON.stringify({
        mcpServers: { solo: fault },
        naming: { policy: 'prefix', separator: '-' },
        balancer: 'round-robin',
        cache: { enabled: true, ttlMs: 1000 },
      }),
    );
    const { code, stdout } = await runCli(['tools', '--config', settings, '--json']);
    expect(code).toBe(0);
    const names = (JSON.parse(stdout) as { name: string }[]).map((tool) => tool.name);
    expect(names).toContain('solo-echo'); // prefixed although nothing conflicts

    const broken = join(dir, 'broken.json');
    await writeFile(
      broken,
      JSON.stringify({
        mcpServers: { solo: fault },
        naming: { policy: 'sometimes' },
        balancer: 'fastest',
        breaker: { consecutiveFailures: 0 },
        cache: { enabled: 'yes' },
        retires: 3,
        discovery: [{ type: 'zookeeper' }, { type: 'dns' }],
      }),
    );
    const failed = await runCli(['tools', '--config', broken]);
    expect(failed.code).toBe(1);
    for (const line of [
      `Invalid config in ${broken}:`,
      'naming.policy: expected one of "prefix", "prefix-on-conflict", "none", found "sometimes"',
      'balancer: expected one of "p2c-peak-ewma", "round-robin"',
      'breaker.consecutiveFailures: expected an integer >= 1, found 0',
      'cache.enabled: expected true or false, found "yes"',
      'retires: expected a top-level key among mcpServers, servers, inputs, discovery, gateway, naming',
      'discovery[0].type: expected one of "dns", "consul", "etcd", found "zookeeper"',
      'discovery[1]: expected valid dns discovery options',
    ]) {
      expect(failed.stderr).toContain(line);
    }
  });

  it('status shows every replica up, as a table and as JSON', async () => {
    const table = await runCli(['status', '--config', config]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^alpha\s+alpha#0\s+stdio:\S+\s+up\s+closed\s+0/m);
    const json = JSON.parse((await runCli(['status', '--config', config, '--json'])).stdout);
    expect(json.servers.map((s: { name: string }) => s.name)).toEqual(['alpha', 'beta']);
  });

  it('status exits 2 when a server is down and 3 when only a replica is (scripts can test it)', async () => {
    const fault = { command: process.execPath, args: [testServers.fault] };
    const missing = { command: join(dir, 'no-such-command') };
    const half = { replicas: [fault, missing] };
    const down = join(dir, 'down.json');
    const degraded = join(dir, 'degraded.json');
    await writeFile(down, JSON.stringify({ mcpServers: { alpha: fault, gone: missing } }));
    await writeFile(degraded, JSON.stringify({ mcpServers: { alpha: fault, half } }));
    const [serverDown, replicaDown] = await Promise.all([
      runCli(['status', '--config', down]),
      runCli(['status', '--config', degraded, '--json']),
    ]);
    expect(serverDown.code).toBe(2);
    expect(serverDown.stdout).toMatch(/^gone\s+gone#0\s+stdio:\S+\s+(down|connecting)/m);
    expect(replicaDown.code).toBe(3);
    const replicas = (JSON.parse(replicaDown.stdout) as ClientSnapshot).servers
      .find((server) => server.name === 'half')
      ?.replicas.map((replica) => [replica.id, replica.status === 'up']);
    expect(replicas).toEqual([
      ['half#0', true],
      ['half#1', false],
    ]);
  }, 60_000);
});
