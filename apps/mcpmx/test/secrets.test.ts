import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEverythingHttp, testServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, runCli } from './run-cli.js';

const SECRET = 's3cr3t-7f1c9a2e-do-not-print';

/**
 * Secrets given through `${SECRET}` in a URL query, a header and a stdio server's env must not
 * reach logs, /status, /metrics, `mcpmx status` or the error messages of failed calls, also
 * after the server holding them dies.
 */
describe('secrets from config and env (the built bin)', () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-secrets-'));
    config = join(dir, 'mcp.json');
  });
  let serving: ChildProcess | undefined;
  afterAll(async () => {
    // A test that timed out still leaves no gateway running.
    if (serving?.pid !== undefined && serving.exitCode === null && serving.signalCode === null) {
      serving.kill('SIGTERM');
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('never appear in logs, status, metrics or error messages', { timeout: 120_000 }, async () => {
    const upstream = await startEverythingHttp('streamableHttp');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: {
          remote: {
            url: `${upstream.url}?key=\${SECRET}`,
            headers: { Authorization: 'Bearer ${SECRET}', 'X-Api-Key': '${SECRET}' },
          },
          local: {
            command: process.execPath,
            args: [testServers.fault],
            env: { KEY: '${SECRET}' },
          },
          broken: {
            command: process.execPath,
            args: ['-e', 'process.exit(3)'],
            env: { TOKEN: '${SECRET}' },
          },
          unreachable: { url: 'http://127.0.0.1:9/mcp?token=${SECRET}' },
        },
        retry: { retries: 0 },
      }),
    );
    const env = { ...process.env, SECRET };
    const serve = spawn(process.execPath, [cliPath, 'serve', '--config', config, '--http', '0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serving = serve;
    let logs = '';
    const url = await new Promise<string>((resolve, reject) => {
      serve.stdout.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      serve.stderr.on('data', (chunk: Buffer) => {
        logs += chunk.toString();
        const match = /at (http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(logs);
        if (match?.[1]) resolve(match[1]);
      });
      serve.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${logs}`)));
    });
    const exited = new Promise((resolve) => serve.once('exit', resolve));
    const sdk = new Client({ name: 'secrets-test', version: '0.0.0' });
    const outputs: string[] = [];
    try {
      await sdk.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
      const ok = await sdk.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } });
      expect(JSON.stringify(ok)).toContain('3');
      await upstream.kill(); // now calls to "remote" fail, with whatever the errors say
      for (let attempt = 0; attempt < 3; attempt++) {
        const failed = await sdk.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } });
        expect(failed.isError).toBe(true);
        outputs.push(JSON.stringify(failed));
      }
      outputs.push(await (await fetch(`${url}/status`)).text());
      outputs.push(await (await fetch(`${url}/metrics`)).text());
      const status = await runCli(['status', '--config', config, '--json'], env);
      outputs.push(status.stdout, status.stderr);
      const call = await runCli(['call', 'get-sum', '--config', config], env);
      outputs.push(call.stdout, call.stderr);
    } finally {
      await sdk.close();
      serve.kill('SIGTERM');
      await exited;
      await upstream.close();
    }
    outputs.push(logs);
    expect(outputs.join('\n')).toContain('remote#0'); // the replicas were reported on
    for (const output of outputs) expect(output).not.toContain(SECRET);
  });
});
