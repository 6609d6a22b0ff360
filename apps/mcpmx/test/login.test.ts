import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followAuthorization, useAuthServers } from '@mcpmx/tooling-auth-server';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGatewayProcess } from './gateway-process.js';
import { cliPath, runCli } from './run-cli.js';

const servers = useAuthServers({ beforeAll, beforeEach, afterAll });

let dir: string;
let config: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcpmx-login-'));
  config = join(dir, 'mcp.json');
  await writeFile(config, JSON.stringify({ mcpServers: { protected: { url: servers.mcp.url } } }));
  // The token store lives under $XDG_CONFIG_HOME/mcpmx: this test's own directory.
  env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs `mcpmx login` as a user would: reads the URL it prints, goes through the authorization
 * server's pages (as a browser, following redirects), and lands on the loopback redirect.
 */
function login(): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [cliPath, 'login', 'protected', '--config', config, '--no-browser'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let followed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /^mcpmx:\s+(http\S+)$/m.exec(stderr)?.[1];
      if (!url || followed) return;
      followed = true;
      followAuthorization(url)
        .then((redirect) => fetch(redirect))
        .then((response) => response.body?.cancel())
        .catch(reject);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('mcpmx login, against a real authorization server (oidc-provider)', () => {
  it('logs in, stores the tokens 0600, and later processes use them; logout forgets them', {
    timeout: 60_000,
  }, async () => {
    // Before any login: a clear refusal that says what to run, and no login attempt.
    const before = await runCli(['call', 'whoami', '--config', config], env);
    expect(before.code).not.toBe(0);
    expect(before.stderr).toContain('run `mcpmx login protected`');

    const loggedIn = await login();
    expect(loggedIn.stderr).toContain('logged in to protected');
    expect(loggedIn.code).toBe(0);
    const file = join(dir, 'config', 'mcpmx', 'tokens.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(servers.authServer.counts.authorizations).toBe(1);

    // Two later processes (a restart): the stored token, no new login.
    const outputs = [loggedIn.stderr];
    for (let run = 0; run < 2; run++) {
      const called = await runCli(['call', 'whoami', '--config', config, '--json'], env);
      expect(called.stderr).not.toContain('login');
      expect(called.stdout).toContain('test-user');
      expect(called.code).toBe(0);
      outputs.push(called.stdout, called.stderr);
    }
    expect(servers.authServer.counts.authorizations).toBe(1);
    // The gateway, started twice (a restart), serves the server with the stored token.
    for (let run = 0; run < 2; run++) {
      const gateway = await startGatewayProcess(
        { mcpServers: { protected: { url: servers.mcp.url } } },
        [],
        env,
      );
      const sdk = new Client({ name: 'login-test', version: '0.0.0' });
      try {
        await sdk.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
        const result = await sdk.callTool({ name: 'whoami', arguments: {} });
        expect(JSON.stringify(result.content)).toContain('test-user');
      } finally {
        await sdk.close();
        outputs.push(gateway.output());
        await gateway.close();
      }
    }
    expect(servers.authServer.counts.authorizations).toBe(1);
    const status = await runCli(['status', '--config', config, '--json'], env);
    expect(status.code).toBe(0);
    outputs.push(status.stdout, status.stderr);
    // Once revoked upstream, the refusal is shown, and still no token is.
    servers.mcp.invalidateTokens();
    const refused = await runCli(['call', 'whoami', '--config', config, '--json'], env);
    outputs.push(refused.stdout, refused.stderr);
    // No output carries a token, a refresh token or a client secret from the store.
    const stored = await readFile(file, 'utf8');
    const secrets = [
      ...stored.matchAll(/"(access_token|refresh_token|client_secret)":\s*"([^"]+)"/g),
    ]
      .map((match) => match[2] as string)
      .filter((value) => value.length >= 16);
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      for (const output of outputs) expect(output).not.toContain(secret.slice(0, 16));
    }

    const loggedOut = await runCli(['logout', 'protected', '--config', config], env);
    expect(loggedOut.stderr).toContain('logged out of protected');
    const after = await runCli(['status', '--config', config], env);
    expect(after.code).toBe(2);
    expect(after.stdout + after.stderr).toContain('run `mcpmx login protected`');
  });

  it('names a server that is not in the config, and one that has no URL', async () => {
    const missing = await runCli(['login', 'nope', '--config', config, '--no-browser'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no server "nope"');
    expect(missing.stderr).toContain('protected');
    const stdioConfig = join(dir, 'stdio.json');
    await writeFile(
      stdioConfig,
      JSON.stringify({ mcpServers: { local: { command: process.execPath, args: ['-e', '0'] } } }),
    );
    const local = await runCli(['login', 'local', '--config', stdioConfig, '--no-browser'], env);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain('only HTTP servers log in');
  });
});
