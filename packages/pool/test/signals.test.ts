import { spawn } from 'node:child_process';
import { testServers } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';

const poolEntry = new URL('../dist/index.js', import.meta.url).href;

// A process that pools a stdio server, prints the server's pid, and closes on SIGTERM.
const script = `
import { createSessionPool, closeOnSignals } from ${JSON.stringify(poolEntry)};
const pool = createSessionPool({ id: 'f#0', server: 'f', transport: { type: 'stdio', command: process.execPath, args: [${JSON.stringify(testServers.fault)}], env: { FAULT_IGNORE_EOF: '1' } } });
closeOnSignals(pool);
const result = await pool.callTool({ name: 'stats', arguments: {} });
process.stdout.write(result.structuredContent.pid + '\\n');
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('process signals', () => {
  it('SIGTERM closes the pool: a server that ignores stdin EOF is gone when the process exits', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const serverPid = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect(alive(serverPid)).toBe(true);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    const leaked = alive(serverPid);
    if (leaked) process.kill(serverPid, 'SIGKILL');
    expect(leaked).toBe(false);
  });
});
