import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from './run-cli.js';

/** `mcpmx serve --http 0` from the built bin, on a config of its own. */
export interface GatewayProcess {
  readonly url: string;
  readonly port: number;
  /** True while the process runs. */
  alive(): boolean;
  /** What it wrote to stderr and stdout (the last 64 KiB). */
  output(): string;
  /** Resolves with the first match of `pattern` in its output, now or once it is written. */
  waitForOutput(pattern: RegExp): Promise<string>;
  /** SIGTERM, and waits for the exit. Idempotent. */
  close(): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;

export async function startGatewayProcess(
  config: unknown,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  port = 0,
): Promise<GatewayProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpmx-gateway-'));
  const file = join(dir, 'mcp.json');
  await writeFile(file, JSON.stringify(config));
  const child: ChildProcess = spawn(
    process.execPath,
    [cliPath, 'serve', '--config', file, '--http', String(port), ...args],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const watchers = new Set<() => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
      for (const watch of [...watchers]) watch();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
    child.once('error', reject);
  }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    port: Number(new URL(url).port),
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
    waitForOutput: (pattern) =>
      new Promise<string>((resolve) => {
        const watch = () => {
          const match = pattern.exec(output);
          if (!match) return;
          watchers.delete(watch);
          resolve(match[0]);
        };
        watchers.add(watch);
        watch();
      }),
    close: () => {
      closing ??= (async () => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
          child.kill('SIGTERM');
          await exited;
        }
        await rm(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
