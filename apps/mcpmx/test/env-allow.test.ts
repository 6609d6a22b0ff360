import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServers } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const env = {
  ...process.env,
  API_KEY: 'api-key-0f3e9b',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-77c1d0',
  MCPMX_TOKEN: 'gateway-token-5a2b8e',
};

/** A config with one stdio server whose env reads `reference`. */
const configReading = (reference: string) =>
  JSON.stringify({
    mcpServers: {
      local: { command: process.execPath, args: [testServers.fault], env: { KEY: reference } },
    },
  });

describe('--env-allow and MCPMX_TOKEN (the built bin)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-env-allow-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('tools: an allowed variable (a pattern) is read', { timeout: 60_000 }, async () => {
    const config = await write('allowed.json', configReading('${API_KEY}'));
    const run = await runCli(
      ['tools', '--config', config, '--env-allow', 'GITHUB_TOKEN,API_*'],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('echo');
  });

  it.each([
    ['status', []],
    ['call', ['echo']],
    ['tools', []],
    ['serve', ['--http', '0']],
  ])(
    '%s: a variable outside the allowlist refuses the config, naming it',
    async (command, extra) => {
      const config = await write(
        `refused-${command}.json`,
        configReading('Bearer ${AWS_SECRET_ACCESS_KEY}'),
      );
      const args = [command, ...extra, '--config', config, '--env-allow', 'GITHUB_TOKEN,API_*'];
      const run = await runCli(args, env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'mcpServers.local.env.KEY: expected a variable allowed by envAllow (GITHUB_TOKEN, API_*); AWS_SECRET_ACCESS_KEY is not',
      );
      expect(run.stdout + run.stderr).not.toContain(env.AWS_SECRET_ACCESS_KEY);
    },
  );

  it.each([
    ['without an allowlist', []],
    ['even when the allowlist names it', ['--env-allow', 'MCPMX_*']],
  ])('MCPMX_TOKEN is never interpolated, %s', async (_, allow) => {
    const config = await write('token.json', configReading('${MCPMX_TOKEN}'));
    const run = await runCli(['serve', '--config', config, '--http', '0', ...allow], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'mcpServers.local.env.KEY: expected a variable other than MCPMX_TOKEN, which is never interpolated',
    );
    expect(run.stdout + run.stderr).not.toContain(env.MCPMX_TOKEN);
  });

  it('a malformed allowlist names the option and what it got', async () => {
    const config = await write('any.json', configReading('x'));
    const run = await runCli(['status', '--config', config, '--env-allow', 'API-KEY'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('envAllow must be variable names');
    expect(run.stderr).toContain('"API-KEY"');
  });
});
