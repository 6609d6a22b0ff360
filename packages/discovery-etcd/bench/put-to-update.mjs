// Time from an etcd put (measured from just before the put is sent) to the discovery's
// 'update' event carrying the change. p50/p99 over N sequential changes.
// Usage: pnpm exec tsup && node bench/put-to-update.mjs [changes=100]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { createEtcdDiscovery } from '../dist/index.js';

const CHANGES = Number(process.argv[2] ?? 100);
const PREFIX = '/bench/files/';

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const clientPort = await freePort();
const peerPort = await freePort();
const url = `http://127.0.0.1:${clientPort}`;
const peer = `http://127.0.0.1:${peerPort}`;
const directory = mkdtempSync(join(tmpdir(), 'mcpmx-etcd-bench-'));
const etcd = spawn(
  'etcd',
  [
    '--data-dir',
    join(directory, 'data'),
    '--listen-client-urls',
    url,
    '--advertise-client-urls',
    url,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    '--initial-cluster',
    `default=${peer}`,
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
let log = '';
await new Promise((resolve, reject) => {
  etcd.stderr.on('data', (chunk) => {
    log += chunk;
    if (log.includes('ready to serve client requests')) resolve();
  });
  etcd.once('exit', () => reject(new Error(log)));
});

const admin = new Etcd3({ hosts: url });
const discovery = createEtcdDiscovery({ hosts: url, prefix: PREFIX });
try {
  await discovery.start();
  const samples = [];
  for (let change = 0; change < CHANGES; change += 1) {
    const port = 20000 + change;
    const seen = new Promise((resolve) => {
      const dispose = discovery.on('update', (set) => {
        if (set.endpoints.some((endpoint) => endpoint.transport.url.includes(`:${port}/`))) {
          dispose();
          resolve();
        }
      });
    });
    const began = performance.now();
    await admin
      .put(`${PREFIX}replica`)
      .value(JSON.stringify({ server: 'files', url: `http://127.0.0.1:${port}/mcp` }))
      .exec();
    await seen;
    samples.push(performance.now() - began);
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  console.log(
    `changes=${CHANGES} p50=${at(0.5).toFixed(2)}ms p90=${at(0.9).toFixed(2)}ms p99=${at(0.99).toFixed(2)}ms max=${samples.at(-1).toFixed(2)}ms`,
  );
} finally {
  await discovery.stop();
  admin.close();
  const exited = once(etcd, 'exit');
  etcd.kill('SIGTERM');
  await exited;
  rmSync(directory, { recursive: true, force: true });
}
