import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun, run } from './run.js';
import type { Manifest, WorkspacePackage } from './workspace.js';

/** A package as `pnpm pack` wrote it: what npm users would download. */
export interface PackedPackage {
  name: string;
  version: string;
  /** Absolute path of the .tgz. */
  tarball: string;
  /** `sha512-…` of the tarball. */
  integrity: string;
  /** The package.json inside the tarball (`workspace:` ranges rewritten by pnpm). */
  manifest: Manifest;
  /** The README inside the tarball, if any. */
  readme: string | undefined;
  /** Paths inside the tarball, relative to the package root. */
  files: string[];
}

/** The pnpm of this workspace (the root devDependency), as `pnpm run` would find it. */
export function workspacePnpm(root: string): string {
  const local = join(root, 'node_modules', '.bin', 'pnpm');
  return existsSync(local) ? local : 'pnpm';
}

/** A file of a tarball (`path` from the package root), or undefined if it holds none. */
export async function readFromTarball(tarball: string, path: string): Promise<string | undefined> {
  const result = await run('tar', ['-xzOf', tarball, `package/${path}`], { cwd: '/' });
  return result.code === 0 ? result.stdout : undefined;
}

/**
 * `pnpm pack` for one package (pnpm rewrites `workspace:` ranges, as `pnpm publish` does), into
 * `destination`.
 */
export async function pack(
  pkg: WorkspacePackage,
  destination: string,
  pnpm: string,
): Promise<PackedPackage> {
  const { stdout } = await mustRun(pnpm, ['pack', '--pack-destination', destination, '--json'], {
    cwd: pkg.dir,
  });
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
    name: string;
    version: string;
    filename: string;
    integrity: string;
    files: { path: string }[];
  };
  const manifest = JSON.parse(
    (await readFromTarball(report.filename, 'package.json')) ?? '{}',
  ) as Manifest;
  return {
    name: report.name,
    version: report.version,
    tarball: report.filename,
    integrity: report.integrity,
    manifest,
    readme: await readFromTarball(report.filename, 'README.md'),
    files: report.files.map((file) => file.path),
  };
}
