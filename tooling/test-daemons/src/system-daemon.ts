import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface StartDaemonOptions {
  /** Named in errors: "dnsmasq exited with 2 before it was ready". */
  name: string;
  /** Text on the daemon's stderr that means it is ready. */
  readyText: string;
  /** Characters of stderr kept for the error message. Default 20,000. */
  logLimit?: number;
}

/**
 * Spawns a system daemon (dnsmasq, etcd) with stderr piped, and resolves once its stderr shows
 * `readyText`; if it exits first, rejects with what it logged. After that its stderr is
 * drained and not kept.
 */
export async function startDaemon(
  binary: string,
  args: readonly string[],
  options: StartDaemonOptions,
): Promise<ChildProcess> {
  const limit = options.logLimit ?? 20_000;
  const child = spawn(binary, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-limit);
      if (log.includes(options.readyText)) {
        child.stderr?.off('data', onData);
        child.off('exit', onExit);
        child.stderr?.resume();
        resolve();
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      child.stderr?.off('data', onData);
      const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
      reject(new Error(`${options.name} ${how} before it was ready:\n${log}`));
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
  return child;
}

/**
 * Sends SIGTERM and waits for the exit. Does nothing for a child that has exited or never
 * started: with no pid, kill() would signal pid 0, this whole process group.
 */
export async function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
