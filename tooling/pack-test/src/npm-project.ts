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
          '--loglevel=error',
        ],
        { cwd: dir, env, timeoutMs },
      ),
    node: (args, timeoutMs = 60_000) =>
      mustRun(process.execPath, args, { cwd: dir, env, timeoutMs }),
  };
}
