import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI of apps/mcpmx, run as the gateway under test. */
const CLI = fileURLToPath(new URL('../../../apps/mcpmx/dist/cli.js', import.meta.url));
/** Preloaded into the gateway: reports its memory to this process over IPC every 200 ms. */
const REPORTER = fileURLToPath(new URL('./memory-reporter.js', import.meta.url));

export interface GatewaySample {
  rssBytes: number;
  heapUsedBytes: number;
  fds: number;
  /** The longest the gateway's event loop was held since the last reset, in ms (10 ms resolution). */
  eventLoopDelayMaxMs: number;
}

export interface GatewayProcess {
  /** The gateway's base URL (`/mcp`, `/metrics`, ... below it). */
  readonly url: string;
  readonly pid: number;
  /** The latest memory report, with the open file descriptors counted now (Linux /proc). */
  sample(): GatewaySample;
  /** Starts the gateway's event-loop delay histogram anew; resolves once it has. */
  resetEventLoopDelay(): Promise<void>;
  /** The sample after the gateway's next report (at most 200 ms away). */
  nextSample(): Promise<GatewaySample>;
  /** What it wrote to stderr after its start-up line. */
  log(): string;
  /** SIGTERM, and waits for the exit. */
  close(): Promise<void>;
}

/**
 * `mcpmx serve --config <file> --http 0` (and `args`) in a child process, resolved once it
 * listens.
 */
export async function startGateway(config: string, args: string[] = []): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', REPORTER, CLI, 'serve', '--config', config, '--http', '0', ...args],
    { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
  );
  let memory = { rss: 0, heapUsed: 0, delayMaxMs: 0, reset: false };
  let onReport: (() => void) | undefined;
  child.on('message', (message) => {
    memory = message as typeof memory;
    onReport?.();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /at (http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(output);
      if (found?.[1]) resolve(found[1]);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code}): ${output}`)));
  });
  const startup = output.length;
  const pid = child.pid as number;
  /** Resolves on the next report (after a reset: the report that answers it). */
  const nextReport = (reset: boolean) =>
    new Promise<void>((resolve) => {
      onReport = () => {
        if (reset && !memory.reset) return;
        onReport = undefined;
        resolve();
      };
      if (reset) child.send('reset-delay');
    });
  const sample = (): GatewaySample => ({
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    fds: readdirSync(`/proc/${pid}/fd`).length,
    eventLoopDelayMaxMs: memory.delayMaxMs,
  });
  return {
    url,
    pid,
    sample,
    resetEventLoopDelay: () => nextReport(true),
    nextSample: () => nextReport(false).then(sample),
    log: () => output.slice(startup),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
