import { type ChildProcess, spawn } from 'node:child_process';
import { descendantPids } from '@mcpmx/tooling-test-servers';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, runCli } from './run-cli.js';

/** The summary row of a phase, split into its columns. */
function row(stdout: string, phase: string): string[] {
  const line = stdout.split('\n').find((text) => text.startsWith(`${phase}  `));
  if (!line) throw new Error(`no summary row for "${phase}" in:\n${stdout}`);
  return line
    .slice(phase.length)
    .trim()
    .split(/\s{2,}/);
}

describe('`pnpm demo` from the repository root', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const pnpm = `${root}node_modules/.bin/pnpm`;

  it('says what it builds, package by package, before the demo starts', {
    timeout: 60_000,
  }, async () => {
    // `--help` goes to the demo command (the script's last), so only the build runs in full.
    const child = spawn(pnpm, ['run', 'demo', '--help'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, stderr).toBe(0);
    const lines = stdout.split('\n');
    const building = lines.findIndex((line) => line.startsWith('mcpmx demo: building mcpmx'));
    const usage = lines.findIndex((line) => line.startsWith('Usage: mcpmx demo'));
    expect(building).toBeGreaterThanOrEqual(0);
    expect(usage).toBeGreaterThan(building);
    const built = lines.slice(building, usage).join('\n');
    for (const pkg of ['@mcpmx/core', '@mcpmx/fault-server', '@mcpmx/client', 'mcpmx']) {
      expect(built).toMatch(new RegExp(`^${pkg}:build: cache (hit|miss)`, 'm'));
    }
  });
});

describe('mcpmx demo (the built bin)', () => {
  // A test that fails or times out still leaves no demo running.
  const spawned: ChildProcess[] = [];
  afterEach(() => {
    for (const child of spawned.splice(0)) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
    }
  });

  it('runs the scripted workload in short mode and prints a summary with no failed call', {
    timeout: 120_000,
  }, async () => {
    const before = descendantPids();
    const { code, stdout, stderr } = await runCli(['demo', '--short']);
    expect(stderr, stderr).toBe('');
    expect(code).toBe(0);
    // The federated catalog: HTTP replicas found through the file source, stdio ones from config.
    expect(stdout).toMatch(/^everything\s+2\s+streamable-http\s+file\s+\d+$/m);
    expect(stdout).toMatch(/^memory\s+1\s+stdio\s+config\s+\d+$/m);
    expect(stdout).toContain('everything__echo');
    // Every phase ran; [calls, ok, failed, p50, p99, outcome].
    expect(row(stdout, 'discovery')[5]).toContain('added everything#2 (3 replicas)');
    const balance = row(stdout, 'balance');
    expect(balance.slice(0, 3)).toEqual(['60', '60', '0']);
    expect(balance[5]).toMatch(/everything#0 \d+, everything#1 \d+, everything#2 \d+/);
    const failover = row(stdout, 'failover');
    expect(failover[2]).toBe('0'); // no read-only call lost to the kill
    expect(failover[5]).toMatch(/readmitted \([1-9]\d* calls served by everything#1\)/);
    const slow = row(stdout, 'slow replica');
    const share = Number(/flaky#2 got (\d+)%/.exec(slow[5] ?? '')?.[1]);
    expect(share).toBeLessThan(33); // P2C peak-EWMA sends the slow replica less than its share
    expect(row(stdout, 'fan-out')[5]).toContain('2 of 2 servers answered');
    expect(Number(/(\d+) hits/.exec(row(stdout, 'cache')[5] ?? '')?.[1])).toBeGreaterThan(0);
    expect(row(stdout, 'agent task').slice(0, 3)).toEqual(['4', '4', '0']);
    expect(stdout).toMatch(/\d+ calls, 0 failed\./);
    expect(descendantPids()).toEqual(before);
  });

  it('when the reader of its output goes away (EPIPE) it closes everything and exits', {
    timeout: 120_000,
  }, async () => {
    const before = descendantPids();
    const child = spawn(process.execPath, [cliPath, 'demo', '--short'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    spawned.push(child);
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? code)),
    );
    await new Promise<void>((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('dashboard:')) resolve(); // its servers are all up by now
      });
    });
    child.stdout.destroy(); // the next line it writes fails with EPIPE
    expect(await exited).toBe('SIGTERM');
    expect(descendantPids()).toEqual(before);
  });

  it('with --keep stays up until Ctrl-C, then exits leaving no process behind', {
    timeout: 120_000,
  }, async () => {
    const before = descendantPids();
    const child = spawn(process.execPath, [cliPath, 'demo', '--short', '--keep'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.push(child);
    let stdout = '';
    const kept = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('press Ctrl-C to stop')) resolve();
      });
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? code)),
    );
    await Promise.race([kept, exited]);
    expect(stdout).toContain('press Ctrl-C to stop');
    const url = /dashboard: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1];
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(descendantPids()).toEqual(before);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
