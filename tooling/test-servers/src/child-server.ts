import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { referenceServers, testServers } from './paths.js';

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function getFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port assigned');
  return address.port;
}

export interface ChildServerOptions {
  /** Script run with `process.execPath`. */
  script: string;
  args?: string[];
  env?: Record<string, string>;
  /** A line of output that means the server is ready; the first capture group may be the port. */
  ready: RegExp;
  /** URL for the ready server, given the port. */
  url: (port: number) => string;
  port: number;
  readyTimeoutMs?: number;
}

/** A server process on loopback that tests can kill -9 and start again on the same port. */
export interface ChildServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** The last 16 KiB of its stdout and stderr. */
  output(): string;
  /** Sends a signal (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  /** Kills it if running. Idempotent. */
  close(): Promise<void>;
}

const OUTPUT_LIMIT = 16 * 1024;

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  let child: ChildProcess | undefined;
  let output = '';
  let port = options.port;

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(process.execPath, [options.script, ...(options.args ?? [])], {
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let buffered = '';
      const timer = setTimeout(() => {
        fail(new Error(`server did not become ready in ${options.readyTimeoutMs ?? 15_000} ms`));
      }, options.readyTimeoutMs ?? 15_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        if (proc.pid !== undefined) proc.kill('SIGKILL');
        reject(new Error(`${error.message}; output:\n${output}`));
      };
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        output = (output + text).slice(-OUTPUT_LIMIT);
        if (buffered === undefined) return;
        buffered += text;
        const match = options.ready.exec(buffered);
        if (match) {
          if (match[1] !== undefined) port = Number(match[1]);
          buffered = '';
          clearTimeout(timer);
          proc.off('exit', onExit);
          resolve();
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        fail(new Error(`server exited before it was ready (code ${code}, signal ${signal})`));
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', onExit);
      proc.once('error', (error) => fail(error));
    });

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const proc = child;
    child = undefined;
    // No pid means the spawn failed; kill() would signal pid 0, our own process group.
    if (!proc || proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null)
      return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };

  await launch();
  return {
    get url() {
      return options.url(port);
    },
    get port() {
      return port;
    },
    get pid() {
      return child?.pid;
    },
    output: () => output,
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    close: () => kill(),
  };
}

/** server-everything over Streamable HTTP (`/mcp`) or legacy SSE (`/sse`) on a free port. */
export async function startEverythingHttp(
  mode: 'streamableHttp' | 'sse',
  options: { port?: number } = {},
): Promise<ChildServer> {
  const port = options.port ?? (await getFreePort());
  return startChildServer({
    script: referenceServers.everything,
    args: [mode],
    env: { PORT: String(port) },
    port,
    ready: mode === 'sse' ? /running on port/ : /listening on port/,
    url: (p) => `http://127.0.0.1:${p}/${mode === 'sse' ? 'sse' : 'mcp'}`,
  });
}

/** The fault server over WebSocket on a free port (or the given one). */
export async function startWebSocketServer(
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<ChildServer> {
  const port = options.port ?? (await getFreePort());
  return startChildServer({
    script: testServers.websocket,
    env: { ...options.env, WS_PORT: String(port) },
    port,
    ready: /LISTENING (\d+)/,
    url: (p) => `ws://127.0.0.1:${p}`,
  });
}

/**
 * The fault server over Streamable HTTP (`/mcp`) on a free port (or the given one), with the
 * same tools; `malformed` answers the POST itself with the broken body.
 */
export async function startFaultHttpServer(
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<ChildServer> {
  const port = options.port ?? (await getFreePort());
  return startChildServer({
    script: testServers.http,
    env: { ...options.env, HTTP_PORT: String(port) },
    port,
    ready: /LISTENING (\d+)/,
    url: (p) => `http://127.0.0.1:${p}/mcp`,
  });
}

/**
 * The hostile HTTP server (see testServers.hostileHttp) on a free port; `url` is its Streamable
 * HTTP endpoint (`/mcp`), `/sse` on the same port its legacy HTTP+SSE one.
 */
export async function startHostileHttpServer(
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<ChildServer> {
  const port = options.port ?? (await getFreePort());
  return startChildServer({
    script: testServers.hostileHttp,
    env: { ...options.env, HTTP_PORT: String(port) },
    port,
    ready: /LISTENING (\d+)/,
    url: (p) => `http://127.0.0.1:${p}/mcp`,
  });
}
