import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath } from './run-cli.js';

// Issue 14: "the CLI commands return in well under a second". `--version`, `--help` and a bad
// flag loaded every module (the client, the SDK, zod, etcd's gRPC client: 0.5 s before the
// first line); now each command loads what it runs. What is measured here is what loads, not
// how long it takes.

const recorder = new URL('./fixtures/record-imports.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mcpmx-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The modules a CLI run loads ("specifier url" lines), and its exit code. */
function loaded(args: string[], name: string): Promise<{ code: number | null; urls: string[] }> {
  const file = join(dir, `${name}.txt`);
  writeFileSync(file, '');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', recorder, cliPath, ...args], {
      env: { ...process.env, RECORD_IMPORTS_TO: file },
      stdio: 'ignore',
    });
    child.on('close', (code) => {
      resolve({ code, urls: readFileSync(file, 'utf8').split('\n').filter(Boolean) });
    });
  });
}

const HEAVY = [
  /@mcpmx\/client/,
  /@mcpmx\/pool/,
  /@modelcontextprotocol\//,
  /[/\\]zod[/\\]/,
  /etcd3/,
  /@grpc/,
];

describe('CLI start-up', () => {
  it.each([
    ['--version', ['--version']],
    ['--help', ['--help']],
    ['serve --help', ['serve', '--help']],
    ['an unknown flag', ['status', '--no-such-flag']],
  ])('%s loads neither the client, the SDK, zod nor etcd', async (name, args) => {
    const { code, urls } = await loaded(args, name.replace(/\W+/g, '-'));
    expect(code === 0 || code === 1).toBe(true);
    expect(urls.length).toBeGreaterThan(0); // the recorder saw the CLI itself
    expect(urls.filter((url) => HEAVY.some((pattern) => pattern.test(url)))).toEqual([]);
  });

  it('a config without discovery blocks does not load the discovery packages', async () => {
    const config = join(dir, 'no-discovery.json');
    writeFileSync(
      config,
      JSON.stringify({ mcpServers: { gone: { command: '/nonexistent/mcp' } } }),
    );
    const { code, urls } = await loaded(['status', '-c', config], 'status');
    expect(code).toBe(2); // the one server is down
    expect(urls.some((url) => /@mcpmx\/client/.test(url))).toBe(true);
    expect(urls.filter((url) => /discovery-(dns|consul|etcd)|etcd3/.test(url))).toEqual([]);
  });
});
