import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manyToolsEntry, postRawRpc } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from './run-cli.js';

const TOOLS = 10_000;
/** Just under 4 MiB: the SDK's HTTP handler answers 413 for a body over 4 MiB. */
const NAME_LENGTH = 4 * 1024 * 1024 - 1024;
const CALLS = 50;
/** As a regular expression, five `([^/?#]*)` side by side: O(n^5) on a URI that almost fits. */
const TEMPLATE = 'x://{a}{b}{c}{d}{e}/end';

/** The JSON-RPC message in a Streamable HTTP answer (plain JSON or one SSE `data:` line). */
function message(body: string): {
  result?: { isError?: boolean; content?: { text?: string }[]; contents?: { text?: string }[] };
  error?: { message: string };
} {
  const data = body.split('\n').find((line) => line.startsWith('data: '));
  return JSON.parse(data === undefined ? body : data.slice('data: '.length));
}

/**
 * 50 concurrent calls of (almost) 4 MiB unknown tool names, on a gateway (the built bin, over HTTP, in
 * its own process) whose catalog holds 10,000 tools: /healthz still answers while they run,
 * each gets a short, clear error, and a normal call works afterwards. A did-you-mean that
 * compared every name with every tool held the event loop for hours.
 */
describe('giant unknown tool names on a 10,000-tool gateway over HTTP', () => {
  let dir: string;
  let serving: ChildProcess | undefined;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-giant-names-'));
    const config = join(dir, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: { many: manyToolsEntry({ tools: TOOLS, template: TEMPLATE }) },
      }),
    );
    const serve = spawn(process.execPath, [cliPath, 'serve', '--config', config, '--http', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    serving = serve;
    let logs = '';
    url = await new Promise<string>((resolve, reject) => {
      serve.stderr.on('data', (chunk: Buffer) => {
        logs += chunk.toString();
        const match = /at (http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(logs);
        if (match?.[1]) resolve(match[1]);
      });
      serve.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${logs}`)));
    });
    expect(logs).toContain(`serving ${TOOLS + 1} tools from 1 servers`);
  }, 30_000);
  afterAll(async () => {
    const serve = serving;
    if (serve?.pid !== undefined && serve.exitCode === null && serve.signalCode === null) {
      const exited = new Promise((resolve) => serve.once('exit', resolve));
      serve.kill('SIGTERM');
      // A gateway whose event loop is stuck never sees SIGTERM: after 10 s it gets SIGKILL.
      const watchdog = setTimeout(() => serve.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(watchdog);
    }
    await rm(dir, { recursive: true, force: true });
  }, 20_000);

  const rpc = (id: number, method: string, params: Record<string, unknown>) =>
    postRawRpc(`${url}/mcp`, { jsonrpc: '2.0', id, method, params });
  const call = (id: number, name: string, args: Record<string, unknown> = {}) =>
    rpc(id, 'tools/call', { name, arguments: args });

  it('/healthz answers while 50 calls of 4 MiB names run; each gets a short error', async () => {
    const names = Array.from({ length: CALLS }, (_, i) => `${i}`.padEnd(NAME_LENGTH, 'x'));
    const calls = names.map((name, i) => call(i + 1, name));
    // Once one whole body is out, the gateway is at work on the calls: now /healthz. A liveness
    // check, not a speed check: the timeout is generous, the old gateway took hours.
    await Promise.race(calls.map(({ written }) => written));
    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(20_000) });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    for (const [i, answer] of (await Promise.all(calls.map((c) => c.answer))).entries()) {
      expect(answer.status).toBe(200);
      expect(answer.body.length).toBeLessThan(1_000);
      const result = message(answer.body).result;
      expect(result?.isError).toBe(true);
      expect(result?.content?.[0]?.text).toBe(
        `Unknown tool "${`${i}`.padEnd(64, 'x')}…" (${NAME_LENGTH} characters).`,
      );
    }
    const echo = await call(CALLS + 1, 'echo', { message: 'still here' }).answer;
    expect(message(echo.body).result?.content?.[0]?.text).toBe('Echo: still here');
  }, 60_000);

  it('/healthz answers while an 8 KiB URI that almost fits meets that template', async () => {
    const near = `x://${'a'.repeat(8000)}/en`;
    const read = rpc(1, 'resources/read', { uri: near });
    await read.written;
    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(20_000) });
    expect(health.status).toBe(200);
    const refused = message((await read.answer).body);
    expect(refused.error?.message).toContain(
      `No server offers the resource "${near.slice(0, 256)}…" (${near.length} characters).`,
    );
    expect(refused.error?.message.length).toBeLessThan(500);
    const fits = message((await rpc(2, 'resources/read', { uri: `${near}d` }).answer).body);
    expect(fits.result?.contents?.[0]?.text).toBe(`${near.length + 1} characters`);
  }, 60_000);
});
