import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      'retires: expected a top-level key among mcpServers, servers, inputs, discovery, naming',
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
});
