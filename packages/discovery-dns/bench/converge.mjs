// Time from a DNS change (a dnsmasq restart with new records) to the discovery's 'update'.
// Usage: pnpm exec tsup && node bench/converge.mjs [refreshMs ...]
// Each change is made right after the previous update (so just after a lookup): the delay to
// the next update is the full refresh interval, the worst case. A change at a random moment
// waits between 0 and refreshMs.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDnsDiscovery } from '../dist/index.js';

const SERVICE = '_mcp._tcp.bench.test';
const CHANGES = 12;
const intervals = process.argv.slice(2).map(Number);
if (intervals.length === 0) intervals.push(500, 1000, 2000);

const socket = createSocket('udp4');
socket.bind(0, '127.0.0.1');
await once(socket, 'listening');
const { port } = socket.address();
socket.close();
const directory = mkdtempSync(join(tmpdir(), 'mcpmx-dns-bench-'));
let child;

async function serve(targetPort) {
  if (child) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  const conf = join(directory, 'dnsmasq.conf');
  writeFileSync(
    conf,
    `local=/bench.test/\nsrv-host=${SERVICE},a.bench.test,${targetPort},10,10\nhost-record=a.bench.test,127.0.0.1\n`,
  );
  child = spawn(
    '/usr/sbin/dnsmasq',
    [
      '--keep-in-foreground',
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      `--conf-file=${conf}`,
      '--pid-file=',
      '--log-facility=-',
      '--cache-size=0',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  await new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      log += chunk;
      if (log.includes('started, version')) resolve();
    });
    child.once('exit', () => reject(new Error(log)));
  });
}

try {
  for (const refreshMs of intervals) {
    await serve(20000);
    const discovery = createDnsDiscovery({
      name: SERVICE,
      server: 'bench',
      resolver: `127.0.0.1:${port}`,
      refreshMs,
      minRefreshMs: 1,
    });
    await discovery.start();
    const delays = [];
    for (let change = 1; change <= CHANGES; change += 1) {
      const seen = new Promise((resolve) => {
        const dispose = discovery.on('update', () => {
          dispose();
          resolve();
        });
      });
      const began = performance.now();
      await serve(20000 + change);
      await seen;
      delays.push(performance.now() - began);
    }
    await discovery.stop();
    delays.sort((a, b) => a - b);
    const mean = delays.reduce((sum, value) => sum + value, 0) / delays.length;
    console.log(
      `refreshMs=${refreshMs} changes=${CHANGES} min=${delays[0].toFixed(0)}ms mean=${mean.toFixed(0)}ms max=${delays.at(-1).toFixed(0)}ms`,
    );
  }
} finally {
  if (child) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(directory, { recursive: true, force: true });
}
