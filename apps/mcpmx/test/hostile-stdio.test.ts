import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServers } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from './run-cli.js';

const MiB = 1024 * 1024;

interface Answer {
  id?: unknown;
  result?: { isError?: boolean; content?: { text?: string }[]; [key: string]: unknown };
  error?: { code: number; message: string };
}

/**
 * `mcpmx serve --config f` over stdio (the built bin), fed raw JSON lines a careless or hostile
 * host might write. Each gets a clear JSON-RPC error, or is dropped as the SDK's stdio transport
 * documents (a line that is not one JSON-RPC message); the process lives on, stderr stays
 * short, and a normal call on the same gateway works after each.
 */
describe('mcpmx serve over stdio, fed hostile input', () => {
  let dir: string;
  let gateway: ChildProcessWithoutNullStreams;
  let stderr = '';
  /** Every answer the gateway wrote (notifications left out), in order, cut to 200 characters. */
  const lines: string[] = [];
  const waiting = new Map<unknown, (answer: Answer) => void>();
  let nextId = 1;

  const write = (line: string) => gateway.stdin.write(`${line}\n`);
  const answerTo = (id: unknown) => new Promise<Answer>((resolve) => waiting.set(id, resolve));
  const request = (method: string, params: unknown, id: unknown = nextId++) => {
    const answer = answerTo(id);
    write(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return answer;
  };
  /** The answers `send` leads to: all those before the answer to a ping sent after it. */
  const linesAfter = async (send: () => void): Promise<string[]> => {
    const from = lines.length;
    send();
    const id = `ping-${nextId++}`;
    expect((await request('ping', {}, id)).result).toEqual({});
    return lines.slice(from).filter((line) => !line.includes(`"id":"${id}"`));
  };
  const echo = async (message: string) =>
    (await request('tools/call', { name: 'echo', arguments: { message } })).result?.content?.[0]
      ?.text;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-hostile-stdio-'));
    const config = join(dir, 'mcp.json');
    const alpha = { command: process.execPath, args: [testServers.fault] };
    await writeFile(config, JSON.stringify({ mcpServers: { alpha } }));
    gateway = spawn(process.execPath, [cliPath, 'serve', '--config', config], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    gateway.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let buffered = '';
    gateway.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        const answer = JSON.parse(line) as Answer;
        if ('id' in answer) lines.push(line.slice(0, 200));
        waiting.get(answer.id)?.(answer);
        waiting.delete(answer.id);
      }
    });
    const init = await request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'hostile-stdio-test', version: '0.0.0' },
    });
    expect(init.result?.serverInfo).toMatchObject({ name: 'mcpmx' });
    write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    expect(await echo('ready')).toBe('Echo: ready');
  }, 20_000);

  afterAll(async () => {
    if (gateway?.pid !== undefined && gateway.exitCode === null && gateway.signalCode === null) {
      const exited = new Promise((resolve) => gateway.once('exit', resolve));
      gateway.stdin.end(); // the gateway's way out: it ends when stdin closes
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('drops lines that are not JSON-RPC messages, and answers the next request', async () => {
    const malformed = ['{"jsonrpc":"2.0","id":', 'not json', '\u0000\u0001\u0002', '{}', 'null'];
    expect(await linesAfter(() => malformed.forEach(write))).toEqual([]);
    expect(await echo('after malformed lines')).toBe('Echo: after malformed lines');
  });

  it('drops a JSON-RPC batch (no longer part of MCP)', async () => {
    const batch = [1, 2].map((n) => ({ jsonrpc: '2.0', id: `batch-${n}`, method: 'ping' }));
    expect(await linesAfter(() => write(JSON.stringify(batch)))).toEqual([]);
    expect(await echo('after a batch')).toBe('Echo: after a batch');
  });

  it('answers a 1 MiB string id with that id, and drops a number id beyond 2^53', async () => {
    const id = 'i'.repeat(MiB);
    expect((await request('ping', {}, id)).result).toEqual({});
    const huge = '{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"}';
    expect(await linesAfter(() => write(huge))).toEqual([]);
    expect(await echo('after huge ids')).toBe('Echo: after huge ids');
  });

  it('refuses arguments nested 100,000 deep with a clear error', async () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deep = (id: number, depth: number) =>
      `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"message":"m","deep":${nested(depth)}}}}`;
    const id = nextId++;
    const answer = answerTo(id);
    write(deep(id, 100_000));
    const { result } = await answer;
    expect(result?.isError).toBe(true);
    expect(result?.content?.[0]?.text).toMatch(/nests objects or arrays deeper than/);
    expect(await echo('after deep nesting')).toBe('Echo: after deep nesting');
  });

  it('answers 4 MiB unknown names and URIs with short errors that give the length', async () => {
    const name = 'n'.repeat(4 * MiB);
    const tool = await request('tools/call', { name, arguments: {} });
    expect(tool.result?.isError).toBe(true);
    expect(tool.result?.content?.[0]?.text).toBe(
      `Unknown tool "${'n'.repeat(64)}…" (${4 * MiB} characters).`,
    );
    const prompt = await request('prompts/get', { name });
    expect(prompt.error?.message).toContain(`(${4 * MiB} characters)`);
    const resource = await request('resources/read', { uri: `test://${name}` });
    expect(resource.error?.message).toContain(`(${4 * MiB + 7} characters)`);
    const completion = await request('completion/complete', {
      ref: { type: 'ref/prompt', name },
      argument: { name: 'a', value: '' },
    });
    expect(completion.error?.message).toContain(`(${4 * MiB} characters)`);
    for (const answer of [prompt, resource, completion]) {
      expect(answer.error?.message.length).toBeLessThan(500);
    }
    expect(await echo('after giant names')).toBe('Echo: after giant names');
  });

  it('passes a 4 MiB argument through', async () => {
    const message = 'm'.repeat(4 * MiB);
    expect(await echo(message)).toBe(`Echo: ${message}`);
  });

  it('answers unknown methods with -32601 and ignores unknown notifications', async () => {
    expect((await request('no/such-method', {})).error?.code).toBe(-32601);
    const notification = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/no-such' });
    expect(await linesAfter(() => write(notification))).toEqual([]);
    expect(await echo('after unknown methods')).toBe('Echo: after unknown methods');
  });

  it('is still running, with a short stderr', () => {
    expect(gateway.exitCode).toBeNull();
    expect(gateway.signalCode).toBeNull();
    expect(stderr.length).toBeLessThan(64 * 1024);
  });
});

describe('mcpmx serve over stdio, fed a line over the SDK transport buffer (10 MiB)', () => {
  it('ends, saying why, rather than living on deaf (was: no answer, no log, no exit)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpmx-hostile-stdio-'));
    const config = join(dir, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: { alpha: { command: process.execPath, args: [testServers.fault] } },
      }),
    );
    const gateway = spawn(process.execPath, [cliPath, 'serve', '--config', config], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    gateway.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => gateway.once('exit', resolve));
    gateway.stdin.on('error', () => undefined); // EPIPE: the gateway has gone, as it should
    try {
      // A line of 11 MiB, not yet ended: the transport's buffer overflows before any newline.
      gateway.stdin.write(
        `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"${'x'.repeat(11 * MiB)}`,
      );
      expect(await exited).toBe(0); // stdin is still open: it ended because the connection did
      expect(stderr).toMatch(/the stdio connection closed: .*buffer/i);
    } finally {
      if (gateway.exitCode === null && gateway.signalCode === null) gateway.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
