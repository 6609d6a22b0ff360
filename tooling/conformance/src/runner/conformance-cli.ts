import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConformanceCheck, judgeScenario, type ScenarioResult } from './scenario-result.js';

/** The pinned suite, `@modelcontextprotocol/conformance`. */
export const CONFORMANCE_VERSION = '0.1.16';

/** This package's root (holds `shim/` and `dist/`), found from wherever this code runs. */
export const packageRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ===
        '@mcpmx/tooling-conformance'
    ) {
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error('@mcpmx/tooling-conformance: cannot find the package root');
})();

const require = createRequire(import.meta.url);
const suiteEntry = join(
  dirname(require.resolve('@modelcontextprotocol/conformance/package.json')),
  'dist/index.js',
);
// Node 20 has no fs.globSync, which the suite imports: the shim supplies one (a no-op on 22+).
const globSyncShim = join(packageRoot, 'shim/node20-fs-globsync.mjs');

/** The command line that runs the suite, for the docs. */
export const suiteCommand =
  'node --import ./shim/node20-fs-globsync.mjs node_modules/@modelcontextprotocol/conformance/dist/index.js';

const OUTPUT_LIMIT = 64 * 1024;

/** Output and exit code of one suite run. */
export interface SuiteRun {
  code: number | null;
  output: string;
}

/**
 * Runs the suite's CLI with `args` and resolves when it exits (its exit code says whether
 * everything passed, which callers judge from checks.json instead). Killed after `timeoutMs`.
 */
export function runSuite(args: readonly string[], timeoutMs: number): Promise<SuiteRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', globSyncShim, suiteEntry, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      output += `\n(conformance run killed after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function findChecks(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await findChecks(path)));
    else if (entry.name === 'checks.json') found.push(path);
  }
  return found;
}

const TIMESTAMP = /-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/**
 * Reads every `checks.json` the suite wrote under `outputDir` (`-o`) and judges each scenario.
 * Folders are `[server-]<scenario>-<timestamp>`, nested for `auth/...` names.
 */
export async function readResults(outputDir: string, prefix = ''): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const file of await findChecks(outputDir)) {
    const folder = dirname(file).slice(outputDir.length + 1);
    const scenario = folder.replace(TIMESTAMP, '').slice(prefix.length);
    const checks = JSON.parse(await readFile(file, 'utf8')) as ConformanceCheck[];
    const result = judgeScenario(scenario, checks);
    const stderr = await readFile(join(dirname(file), 'stderr.txt'), 'utf8').catch(() => '');
    const clientError = stderr.trim().split('\n').at(-1);
    results.push(clientError ? { ...result, clientError } : result);
  }
  return results.sort((a, b) => a.scenario.localeCompare(b.scenario));
}

/** The scenario names the suite lists (`list --client` or `list --server`). */
export async function listScenarios(side: 'client' | 'server'): Promise<string[]> {
  const { output } = await runSuite(['list', `--${side}`], 30_000);
  return [...output.matchAll(/^\s+- (\S+)/gm)].map((match) => match[1] as string);
}
