import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

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

/** Options for {@link startChildServer}. */
export interface ChildServerOptions {
  /** Script run with `process.execPath`. */
  script: string;
  args?: string[];
  /** Added to this process's environment (tell the server its port here). */
  env?: Record<string, string>;
  /** Output (stdout or stderr) that means the server is ready; group 1, if any, is its port. */
  ready: RegExp;
  /** URL of the ready server, given its port. */
  url: (port: number) => string;
  /** The port the server was told to use, or 0 when the `ready` match names it. */
  port: number;
  /** How long to wait for `ready` before the process is killed. Default 15000. */
  readyTimeoutMs?: number;
}

/** A server process on loopback that a drill or a test can kill -9 and start again. */
export interface ChildServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** The last 16 KiB of its stdout and stderr. */
  output(): string;
  /** Sends a signal (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Kills it, then starts it again with the same options (so on the same port, if given). */
  restart(): Promise<void>;
  /** Kills it if running. Idempotent. */
  close(): Promise<void>;
}

const OUTPUT_LIMIT = 16 * 1024;

/**
 * Starts `node <script> ...args` and resolves once its output matches `ready`. A process that
 * exits first, or is not ready within `readyTimeoutMs`, rejects the call with the error and its
 * output, and is gone by then.
 */
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
      // Output until the ready line; dropped after it (a chatty server logs every request).
      let buffered: string | undefined = '';
      const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
      const timer = setTimeout(() => {
        fail(new Error(`server did not become ready in ${readyTimeoutMs} ms`));
      }, readyTimeoutMs);
      // Rejects once the process is gone, so a failed start leaves nothing running.
      const fail = (error: Error) => {
        clearTimeout(timer);
        proc.off('exit', onExit);
        const rejectWithOutput = () => reject(new Error(`${error.message}; output:\n${output}`));
        // No pid means the spawn failed; an exit code or signal means it has already exited.
        if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) {
          rejectWithOutput();
          return;
        }
        proc.once('exit', rejectWithOutput);
        proc.kill('SIGKILL');
      };
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        output = (output + text).slice(-OUTPUT_LIMIT);
        if (buffered === undefined) return;
        buffered = (buffered + text).slice(-OUTPUT_LIMIT);
        const match = options.ready.exec(buffered);
        if (match) {
          if (match[1] !== undefined) port = Number(match[1]);
          buffered = undefined;
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

/**
 * `@modelcontextprotocol/server-everything` over Streamable HTTP (`/mcp`) or legacy SSE (`/sse`)
 * on a free loopback port (or the given one). `script` is its entry, `dist/index.js` of the
 * package as you installed it (`require.resolve('@modelcontextprotocol/server-everything/dist/index.js')`).
 */
export async function startEverythingHttp(
  script: string,
  mode: 'streamableHttp' | 'sse',
  options: { port?: number } = {},
): Promise<ChildServer> {
  const port = options.port ?? (await getFreePort());
  return startChildServer({
    script,
    args: [mode],
    env: { PORT: String(port) },
    port,
    ready: mode === 'sse' ? /running on port/ : /listening on port/,
    url: (p) => `http://127.0.0.1:${p}/${mode === 'sse' ? 'sse' : 'mcp'}`,
  });
}
