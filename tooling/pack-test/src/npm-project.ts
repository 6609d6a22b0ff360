import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mustRun, type RunResult, userEnv } from './run.js';

/** A fresh npm project outside the workspace, whose `@mcpmx/*` come from a local registry. */
export interface NpmProject {
  readonly dir: string;
  /** `npm <args>` in the project, with the local registry for the `@mcpmx` scope. */
  npm(args: string[], timeoutMs?: number): Promise<RunResult>;
  /** `node <args>` in the project; rejects with the output unless it exits 0. */
  node(args: string[], timeoutMs?: number): Promise<RunResult>;
}

export async function createNpmProject(dir: string, registryUrl: string): Promise<NpmProject> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'first-contact', private: true, type: 'module' }, null, 2)}\n`,
  );
  const env = userEnv();
  return {
    dir,
    npm: (args, timeoutMs = 180_000) =>
      mustRun(
        'npm',
        [
          ...args,
          `--@mcpmx:registry=${registryUrl}`,
          '--no-audit',
          '--no-fund',
          '--no-update-notifier',
          '--prefer-offline',
          // npm waits up to 5 minutes on a registry request that stalls; past this limit it
          // retries instead (twice), so one stalled download cannot use up the whole install's time.
          // (A CI run's global install once sat at its 180 s limit; alone it takes about 15 s.)
          '--fetch-timeout=30000',
          '--fetch-retry-maxtimeout=10000',
          '--loglevel=error',
        ],
        { cwd: dir, env, timeoutMs },
      ),
    node: (args, timeoutMs = 60_000) =>
      mustRun(process.execPath, args, { cwd: dir, env, timeoutMs }),
  };
}
