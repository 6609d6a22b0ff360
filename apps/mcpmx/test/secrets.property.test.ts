import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuthServers, useAuthServers } from '@mcpmx/tooling-auth-server';
import { type ChildServer, startEverythingHttp, testServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cliPath, runCli } from './run-cli.js';

/** Random secrets of the characters a token has; the redactor's own test covers any text. */
const secrets = fc.stringMatching(/^[A-Za-z0-9._~-]{12,24}$/).map((text) => `S3-${text}`);

/** A config with `${SECRET}` in every position a config can hold it. */
function configFor(upstream: ChildServer, auth: AuthServers) {
  const origin = new URL(upstream.url).origin;
  const leaky = (env: Record<string, string>) => ({
    command: process.execPath,
    args: [testServers.leaky, '--token=${SECRET}'],
    env,
  });
  return {
    mcpServers: {
      // Works until the upstream is killed.
      remote: {
        url: `${upstream.url}?key=\${SECRET}`,
        headers: { Authorization: 'Bearer ${SECRET}', 'X-Api-Key': '${SECRET}' },
      },
      // HTTP 404 from the upstream, whose errors quote the URL.
      pathy: { url: `${origin}/\${SECRET}/mcp` },
      // fetch refuses it, quoting the URL with its credentials.
      userinfo: { url: `http://user:\${SECRET}@127.0.0.1:${upstream.port}/mcp` },
      // Prints its env and args to stderr, and exits when its tool `leak` is called.
      leak: leaky({ API_KEY: '${SECRET}' }),
      // Prints them and exits at once, every time it is started.
      dead: leaky({ LEAKY_EXIT: '1', TOKEN: 'Bearer ${SECRET}' }),
      // An OAuth client secret (client_credentials) the authorization server refuses.
      oauthed: {
        url: auth.mcp.url,
        auth: {
          type: 'client_credentials',
          clientId: auth.authServer.secretClient.clientId,
          clientSecret: '${SECRET}',
          issuer: auth.authServer.issuer,
        },
      },
    },
    retry: { retries: 0 },
  };
}

/** Starts `mcpmx serve --http 0`; resolves with its URL once it serves, and its output so far. */
function startServe(config: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [cliPath, 'serve', '--config', config, '--http', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { logs: '' };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => (output.logs += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      output.logs += chunk.toString();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(output.logs);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output.logs}`)));
  });
  return { child, output, exited, url };
}

/** The first dashboard frame: the feed sends one as the socket opens. */
function firstFrame(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/dashboard/ws`);
    socket.once('message', (data: Buffer) => {
      resolve(data.toString());
      socket.close();
    });
    socket.once('error', reject);
  });
}

/**
 * Whatever the secret and wherever the config puts it (header, env, arg, URL path, userinfo,
 * query, an OAuth client secret the authorization server refuses), no output channel shows it:
 * log lines, /status, /metrics, /healthz, dashboard frames,
 * `mcpmx status`/`tools`/`call`, and the errors downstream clients get, also after an upstream
 * dies and while servers print it to stderr. Two runs: each starts about a dozen processes.
 */
describe('secrets in any config position (the built bin, property)', () => {
  const auth = useAuthServers({ beforeAll, beforeEach, afterAll });
  let dir: string;
  const started = new Set<ChildProcess>();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-secrets-property-'));
  });
  afterAll(async () => {
    for (const child of started) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('never reach an output channel', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(secrets, async (secret) => {
        const upstream = await startEverythingHttp('streamableHttp');
        const config = join(dir, 'mcp.json');
        await writeFile(config, JSON.stringify(configFor(upstream, auth)));
        const env = { ...process.env, SECRET: secret };
        const serving = startServe(config, env);
        started.add(serving.child);
        const outputs: [string, string][] = [];
        const sdk = new Client({ name: 'secrets-property', version: '0.0.0' });
        try {
          const url = await serving.url;
          await sdk.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
          const ok = await sdk.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } });
          expect(JSON.stringify(ok)).toContain('3');
          // The leaky server prints the secret to stderr and dies mid-call.
          outputs.push(['leak call', JSON.stringify(await sdk.callTool({ name: 'leak' }))]);
          await upstream.kill();
          for (let attempt = 0; attempt < 2; attempt++) {
            const failed = await sdk.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } });
            expect(failed.isError).toBe(true);
            outputs.push(['failed call', JSON.stringify(failed)]);
          }
          for (const path of ['/status', '/metrics', '/healthz']) {
            outputs.push([path, await (await fetch(`${url}${path}`)).text()]);
          }
          outputs.push(['dashboard frame', await firstFrame(url)]);
          // At once: each waits out the acquire timeout of the servers that are down.
          const commands = [
            ['status', '--config', config, '--json'],
            ['status', '--config', config],
            ['tools', '--config', config],
            ['call', 'leak', '--config', config],
            ['call', 'get-sum', '--args', '{"a":1,"b":2}', '--config', config],
          ];
          const runs = await Promise.all(commands.map((args) => runCli(args, env)));
          runs.forEach((run, index) => {
            outputs.push([`mcpmx ${commands[index]?.[0]}`, run.stdout + run.stderr]);
          });
        } finally {
          await sdk.close();
          serving.child.kill('SIGTERM');
          await serving.exited;
          await upstream.close();
        }
        outputs.push(['logs', serving.output.logs]);
        // The servers were reported on, so the channels had something to leak.
        const all = outputs.map(([, text]) => text).join('\n');
        expect(all).toMatch(/dead#0[\s\S]*leaky-server/);
        expect(all).toContain('oauthed: the client_credentials grant failed');
        expect(auth.authServer.counts.tokenErrors.client_credentials ?? 0).toBeGreaterThan(0);
        const leaking = outputs.filter(([, text]) => text.includes(secret));
        expect(leaking.map(([channel]) => channel)).toEqual([]);
      }),
      { numRuns: 2, endOnFailure: true },
    );
  });
});
