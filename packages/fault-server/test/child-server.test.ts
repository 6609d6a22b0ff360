import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort, startChildServer, startEverythingHttp } from '@mcpmx/fault-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const everything = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);

/** Whether something accepts TCP connections on 127.0.0.1:port. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startEverythingHttp', () => {
  it('runs server-everything on a free port, kill -9s it and restarts it on the same port', async () => {
    const server = await startEverythingHttp(everything, 'streamableHttp');
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/mcp`);
      const first = server.pid as number;
      expect(await accepts(server.port)).toBe(true);

      await server.kill();
      expect(alive(first)).toBe(false);
      expect(await accepts(server.port)).toBe(false);

      await server.restart();
      expect(server.pid).not.toBe(first);
      expect(await accepts(server.port)).toBe(true);
      expect(server.output()).toMatch(/listening on port/);
    } finally {
      await server.close();
    }
    expect(server.pid).toBeUndefined();
    await server.close(); // idempotent
  });

  it('serves legacy SSE at /sse on the port it is given', async () => {
    const port = await getFreePort();
    const server = await startEverythingHttp(everything, 'sse', { port });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${port}/sse`);
      expect(await accepts(port)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('startChildServer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fault-server-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the port from the ready line', async () => {
    const script = join(dir, 'listen.mjs');
    await writeFile(
      script,
      [
        "import { createServer } from 'node:http';",
        'const server = createServer((_, response) => response.end());',
        "server.listen(0, '127.0.0.1', () => console.log(`READY ${server.address().port}`));",
      ].join('\n'),
    );
    const server = await startChildServer({
      script,
      port: 0,
      ready: /READY (\d+)/,
      url: (port) => `http://127.0.0.1:${port}/`,
    });
    try {
      expect(server.port).toBeGreaterThan(0);
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('rejects with the output when the process exits before it is ready', async () => {
    const script = join(dir, 'exit.mjs');
    await writeFile(script, "console.error('no config found'); process.exit(3);\n");
    await expect(
      startChildServer({ script, port: 0, ready: /READY/, url: () => '' }),
    ).rejects.toThrow(/exited before it was ready \(code 3.*\n.*no config found/s);
  });

  it('rejects and kills the process when it is not ready in time', async () => {
    const script = join(dir, 'silent.mjs');
    await writeFile(script, 'console.log(`pid ${process.pid}`); setInterval(() => {}, 1000);\n');
    const error = await startChildServer({
      script,
      port: 0,
      ready: /READY/,
      url: () => '',
      readyTimeoutMs: 300,
    }).then(
      () => undefined,
      (rejection: Error) => rejection,
    );
    expect(error?.message).toMatch(/did not become ready in 300 ms/);
    const pid = Number(/pid (\d+)/.exec(error?.message ?? '')?.[1]);
    expect(alive(pid)).toBe(false); // the call rejects once the process is gone
  });
});
