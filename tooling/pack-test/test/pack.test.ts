import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRegistry, startLocalRegistry } from '../src/local-registry.js';
import { createNpmProject } from '../src/npm-project.js';
import { type PackedPackage, pack, readFromTarball, workspacePnpm } from '../src/pack.js';
import { mustRun, userEnv } from '../src/run.js';
import { type Manifest, publicPackages, readManifest, workspaceRoot } from '../src/workspace.js';

// First contact, as a new user has it: every public package packed (pnpm rewrites `workspace:`
// ranges as `pnpm publish` does), then installed with plain npm into fresh projects outside the
// workspace. The `@mcpmx` scope comes from a loopback registry that serves just the tarballs,
// as if they were published; everything else comes from the npm registry.

const root = workspaceRoot();
const workspacePublic = publicPackages(root);
const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const APP = 'mcpmx';

let scratch: string;
let packed: PackedPackage[];
let registry: LocalRegistry;
const byName = (name: string) => {
  const pkg = packed.find((candidate) => candidate.name === name);
  if (!pkg) throw new Error(`${name} was not packed`);
  return pkg;
};
/** The library packages: every public package but the CLI app. */
const libraries = () => packed.filter((pkg) => pkg.name !== APP);
/** The `@mcpmx/*` packages among a manifest's runtime dependencies. */
const internalDeps = (manifest: Manifest) =>
  Object.entries({ ...manifest.dependencies, ...manifest.optionalDependencies }).filter(([name]) =>
    name.startsWith('@mcpmx/'),
  );

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mcpmx-pack-test-'));
  const tarballs = join(scratch, 'tarballs');
  await mkdir(tarballs);
  const pnpm = workspacePnpm(root);
  packed = await Promise.all(workspacePublic.map((pkg) => pack(pkg, tarballs, pnpm)));
  registry = await startLocalRegistry(packed);
});

afterAll(async () => {
  await registry?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('are all built before this test runs (each is a devDependency of the pack test)', () => {
    const own = readManifest(new URL('..', import.meta.url).pathname).devDependencies ?? {};
    expect(workspacePublic.map((pkg) => pkg.manifest.name).filter((name) => !own[name])).toEqual(
      [],
    );
    expect(packed.map((pkg) => pkg.name)).toContain(APP);
  });

  it('each holds the files its manifest points at (exports, types, bin with a shebang)', async () => {
    const missing: string[] = [];
    for (const pkg of packed) {
      const { manifest } = pkg;
      const bins =
        typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
      const targets = [
        manifest.types,
        manifest.main,
        ...Object.values(manifest.exports ?? {}).flatMap((entry) =>
          typeof entry === 'string' ? [entry] : Object.values(entry),
        ),
        ...bins,
      ].filter((target): target is string => typeof target === 'string');
      if (targets.length === 0) missing.push(`${pkg.name}: no exports, main or bin`);
      for (const target of targets) {
        const path = target.replace(/^\.\//, '');
        if (!pkg.files.includes(path)) missing.push(`${pkg.name}: ${target} is not in the tarball`);
      }
      for (const bin of bins) {
        const script = await readFromTarball(pkg.tarball, bin.replace(/^\.\//, ''));
        if (!script?.startsWith('#!/usr/bin/env node')) {
          missing.push(`${pkg.name}: bin ${bin} does not start with #!/usr/bin/env node`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('each depends only on published packages: no workspace: ranges, no private packages', () => {
    const problems: string[] = [];
    for (const pkg of packed) {
      const { manifest } = pkg;
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
        for (const [name, range] of Object.entries(manifest[field] ?? {})) {
          if (range.startsWith('workspace:'))
            problems.push(`${pkg.name} ${field}.${name}: ${range}`);
        }
      }
      for (const [name, range] of internalDeps(manifest)) {
        const dependency = packed.find((candidate) => candidate.name === name);
        if (!dependency) problems.push(`${pkg.name} depends on ${name}, which is not published`);
        else if (range !== dependency.version) {
          problems.push(
            `${pkg.name} depends on ${name}@${range}; the packed one is ${dependency.version}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('each has a released version: 0.0.0 means `pnpm changeset version` never ran', () => {
    expect(packed.filter((pkg) => pkg.version === '0.0.0').map((pkg) => pkg.name)).toEqual([]);
  });

  it('each README has an Install section that says ESM only and Node 20 (the CLI: Node 20)', () => {
    const problems: string[] = [];
    for (const pkg of packed) {
      const install = /^## Install\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(pkg.readme ?? '')?.[1];
      if (install === undefined) {
        problems.push(`${pkg.name}: README has no "## Install" section`);
        continue;
      }
      const command = new RegExp(`npm install (-[-\\w]+ )*${pkg.name.replace('/', '\\/')}\\b`);
      if (!command.test(install)) {
        problems.push(`${pkg.name}: Install does not show npm install`);
      }
      if (!/Node(\.js)? (20|≥ ?20|>= ?20)/.test(install)) {
        problems.push(`${pkg.name}: Install does not say Node 20`);
      }
      if (pkg.manifest.exports && !/ESM only/.test(install)) {
        problems.push(`${pkg.name}: Install does not say ESM only`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('installed with plain npm, outside the workspace', () => {
  /** The versions the workspace builds and tests with, for the same packages here. */
  const rootManifest = readManifest(root);
  const examplesManifest = readManifest(join(root, 'examples'));
  const externalFromExamples = () =>
    Object.entries(examplesManifest.devDependencies ?? {})
      .filter(([, range]) => !range.startsWith('workspace:'))
      .map(([name, range]) => `${name}@${range}`);
  const rootSpec = (name: string) => `${name}@${rootManifest.devDependencies?.[name]}`;
  const everythingSpec = () =>
    `@modelcontextprotocol/server-everything@${examplesManifest.devDependencies?.['@modelcontextprotocol/server-everything']}`;

  it('the library: every package, its README examples and its API type-check, and an agent runs', async () => {
    const project = await createNpmProject(join(scratch, 'library'), registry.url);
    await project.npm([
      'install',
      ...libraries().map((pkg) => pkg.name),
      ...externalFromExamples(),
      rootSpec('typescript'),
      rootSpec('@types/node'),
      // The peer of @mcpmx/discovery-conformance, at the workspace's version.
      rootSpec('vitest'),
    ]);

    // The README examples (those of the private tooling aside) and an import of every package.
    const examples = join(root, 'examples');
    const copied: string[] = [];
    const walk = async (dir: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!['node_modules', 'test', 'tooling'].includes(entry.name)) await walk(path);
        } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.config.ts')) {
          const target = join(project.dir, 'examples', relative(examples, path));
          await mkdir(dirname(target), { recursive: true });
          await copyFile(path, target);
          copied.push(relative(examples, path));
        }
      }
    };
    await walk(examples);
    expect(copied.length).toBeGreaterThan(10);
    const names = libraries().map((pkg) => pkg.name);
    await writeFile(
      join(project.dir, 'every-package.ts'),
      `${names.map((name, index) => `import * as package${index} from '${name}';`).join('\n')}\n\n` +
        `export const packages = [${names.map((_, index) => `package${index}`).join(', ')}];\n`,
    );
    await copyFile(join(fixtures, 'agent.mjs'), join(project.dir, 'agent.mjs'));
    await writeFile(
      join(project.dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          types: ['node'],
          allowJs: true,
          checkJs: true,
          noEmit: true,
          skipLibCheck: false,
        },
        include: ['*.ts', '*.mjs', 'examples/**/*.ts'],
      }),
    );
    await project.node([join(project.dir, 'node_modules/typescript/bin/tsc'), '-p', '.']);

    const { stdout } = await project.node(['agent.mjs']);
    const agent = JSON.parse(stdout) as { tools: string[]; content: { text?: string }[] };
    expect(agent.tools).toContain('echo');
    expect(agent.content[0]?.text).toContain('first contact');
  });

  it('the client alone: npm pulls just its own @mcpmx dependencies, and the agent runs', async () => {
    const closure = new Set<string>();
    const visit = (name: string) => {
      if (closure.has(name)) return;
      closure.add(name);
      for (const [dependency] of internalDeps(byName(name).manifest)) visit(dependency);
    };
    visit('@mcpmx/client');

    const project = await createNpmProject(join(scratch, 'client-alone'), registry.url);
    const asked = registry.requested.length;
    await project.npm(['install', '@mcpmx/client', everythingSpec()]);
    expect(new Set(registry.requested.slice(asked))).toEqual(closure);
    const installed = (await readdir(join(project.dir, 'node_modules/@mcpmx'))).map(
      (name) => `@mcpmx/${name}`,
    );
    expect(new Set(installed)).toEqual(closure);

    await copyFile(join(fixtures, 'agent.mjs'), join(project.dir, 'agent.mjs'));
    const { stdout } = await project.node(['agent.mjs']);
    expect(JSON.parse(stdout).content[0].text).toContain('first contact');
  });

  it('the CLI: npm install -g, then --help, --version, tools, call, status, serve and demo', {
    timeout: 300_000,
  }, async () => {
    const project = await createNpmProject(join(scratch, 'cli'), registry.url);
    const prefix = join(scratch, 'global');
    await project.npm(['install', '--global', `--prefix=${prefix}`, byName(APP).tarball]);
    const bin = join(prefix, 'bin', 'mcpmx');
    const mcpmx = (args: string[], timeoutMs = 60_000) =>
      mustRun(bin, args, { cwd: project.dir, env: userEnv(), timeoutMs });

    const help = await mcpmx(['--help']);
    for (const command of ['demo', 'serve', 'tools', 'call', 'status']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect((await mcpmx(['--version'])).stdout.trim()).toBe(byName(APP).version);

    // server-everything as the app installed it, over stdio.
    const appDir = join(prefix, 'lib', 'node_modules', APP);
    const everything = createRequire(join(appDir, 'package.json')).resolve(
      '@modelcontextprotocol/server-everything/dist/index.js',
    );
    const config = join(project.dir, 'everything.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'] } },
      }),
    );
    expect((await mcpmx(['tools', '--config', config])).stdout).toMatch(/\becho\b/);
    const call = await mcpmx([
      'call',
      'echo',
      '--config',
      config,
      '--args',
      '{"message":"hi npm"}',
    ]);
    expect(call.stdout).toContain('hi npm');
    expect((await mcpmx(['status', '--config', config])).stdout).toContain('everything');

    // `mcpmx serve` as the stdio server of another config: the gateway, spoken to by the CLI.
    const gateway = join(project.dir, 'gateway.json');
    await writeFile(
      gateway,
      JSON.stringify({
        mcpServers: { gateway: { command: bin, args: ['serve', '--config', config] } },
      }),
    );
    expect((await mcpmx(['tools', '--config', gateway])).stdout).toMatch(/\becho\b/);

    const demo = await mcpmx(['demo', '--short'], 120_000);
    expect(demo.stdout).toMatch(/\d+ calls, 0 failed\./);
    expect(await readFile(join(appDir, 'package.json'), 'utf8')).not.toContain('workspace:');
  });
});
