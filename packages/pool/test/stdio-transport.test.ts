import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const poolEntry = new URL('../dist/index.js', import.meta.url).href;

describe('StdioTransport', () => {
  it('closing a transport whose command does not exist signals nobody (not pid 0, our group)', async () => {
    // Run in a process group of its own: if close() signalled pid 0, only that group would die,
    // and "survived" would never be printed.
    const script = `
      import { StdioTransport } from ${JSON.stringify(poolEntry)};
      for (let i = 0; i < 20; i++) {
        const transport = new StdioTransport({ type: 'stdio', command: 'mcpmx-no-such-command' });
        // close() in the same tick as the spawn, before Node reports ENOENT, is the risky case.
        const started = transport.start().catch(() => undefined);
        await transport.close();
        await started;
      }
      process.stdout.write('survived');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    expect({ code, signal, output }).toEqual({ code: 0, signal: null, output: 'survived' });
  });
});
