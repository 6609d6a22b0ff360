import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type HeaderCapture, startHeaderCapture } from '@mcpmx/tooling-test-servers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliPath, runCli } from './run-cli.js';

const ptyRun = new URL('./pty-run.py', import.meta.url).pathname;
const SECRET = 'typed-s3cr3t-41c9';

let capture: HeaderCapture;
let dir: string;
let config: string;
beforeEach(async () => {
  capture = await startHeaderCapture();
  dir = await mkdtemp(join(tmpdir(), 'mcpmx-inputs-'));
  config = join(dir, '.vscode', 'mcp.json');
  await mkdir(join(dir, '.vscode'));
  await writeFile(
    config,
    JSON.stringify({
      inputs: [{ type: 'promptString', id: 'api-key', description: 'API key', password: true }],
      servers: {
        remote: {
          type: 'http',
          url: capture.url,
          headers: { Authorization: 'Bearer ${input:api-key}' },
        },
      },
    }),
  );
});
afterEach(async () => {
  await capture.close();
  await rm(dir, { recursive: true, force: true });
});

const sentAuthorizations = () => [...new Set(capture.requests.map((h) => h.authorization))];

describe('a VS Code config with inputs, through the built bin', () => {
  it('without a TTY: a config error names the input and MCPMX_INPUT_API_KEY, and nothing is sent', {
    timeout: 60_000,
  }, async () => {
    const { MCPMX_INPUT_API_KEY: _, ...env } = process.env;
    const run = await runCli(['tools', '--config', config], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('servers.remote.headers.Authorization');
    expect(run.stderr).toContain('a value for input "api-key": set MCPMX_INPUT_API_KEY');
    expect(capture.requests).toEqual([]);
  });

  it('without a TTY: MCPMX_INPUT_API_KEY gives the value, sent and never shown', {
    timeout: 60_000,
  }, async () => {
    const run = await runCli(['tools', '--config', config, '--json'], {
      ...process.env,
      MCPMX_INPUT_API_KEY: SECRET,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('echo');
    expect(run.stdout).not.toContain(SECRET);
    expect(sentAuthorizations()).toEqual([`Bearer ${SECRET}`]);
  });

  it('with a TTY: each input is asked once, a secret one without echo, and sent', {
    timeout: 60_000,
  }, async () => {
    await writeFile(
      config,
      JSON.stringify({
        inputs: [
          { type: 'promptString', id: 'region', description: 'Region', default: 'eu-west-1' },
          { type: 'promptString', id: 'api-key', description: 'API key', password: true },
        ],
        servers: {
          remote: {
            type: 'http',
            url: capture.url,
            headers: { Authorization: 'Bearer ${input:api-key}', 'X-Region': '${input:region}' },
          },
        },
      }),
    );
    const { MCPMX_INPUT_API_KEY: _, MCPMX_INPUT_REGION: __, ...env } = process.env;
    const { stdout } = await promisify(execFile)(
      'python3',
      [
        ...[ptyRun, 'Region (region) [eu-west-1]: ', 'us-east-2', 'API key (api-key): ', SECRET],
        ...['--', process.execPath, cliPath, 'tools', '--config', config],
      ],
      { env, timeout: 60_000 },
    );
    const run = JSON.parse(stdout) as { shown: string; typed: number; code: number };
    expect(run.typed).toBe(2);
    expect(run.code).toBe(0);
    expect(run.shown.split('API key (api-key): ').length).toBe(2); // asked once
    expect(run.shown.split('Region (region)').length).toBe(2);
    expect(run.shown).toContain('us-east-2'); // an ordinary input is echoed
    expect(run.shown).toContain('echo');
    expect(run.shown).not.toContain(SECRET);
    expect(sentAuthorizations()).toEqual([`Bearer ${SECRET}`]);
    expect([...new Set(capture.requests.map((h) => h['x-region']))]).toEqual(['us-east-2']);
  });
});
