// Internal: one measurement of the idle-memory bench, in a process of its own started with
// --expose-gc. Opens one warm session, then `count` more idle sessions through @mcpmx/pool or
// bare SDK v2 clients, forces GC, and prints `RESULT <json>` with the memory before and after.
// Usage (by benches/idle-memory.ts): node --expose-gc dist/idle-memory-worker.js '<json spec>'
import { readFileSync } from 'node:fs';
import type { SessionPool } from '@mcpmx/core';
import { createSessionPool } from '@mcpmx/pool';
import { descendantPids } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { WorkerResult, WorkerSpec } from './benches/idle-memory.js';
import { everythingCommand, sleep } from './lib/measure.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as WorkerSpec;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const collect = gc;
/** Sessions opened at a time: each stdio session spawns a server, so fewer of those at once. */
const BATCH = spec.transport === 'http' ? 10 : 2;

async function settle() {
  await sleep(spec.settleMs);
  for (let i = 0; i < 4; i++) {
    collect();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await sleep(100);
  collect();
}

function snapshot() {
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, external: usage.external, rss: usage.rss };
}

/** Resident memory of this process's children (the stdio servers), in bytes. */
function childrenRss(): { processes: number; rss: number } {
  let rss = 0;
  const pids = descendantPids();
  for (const pid of pids) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      rss += Number(match?.[1] ?? 0) * 1024;
    } catch {
      // exited meanwhile
    }
  }
  return { processes: pids.length, rss };
}

const closers: (() => Promise<void>)[] = [];
let opened = 0;

async function openOne(): Promise<void> {
  const index = opened++;
  if (spec.client === 'pool') {
    const pool: SessionPool = createSessionPool(
      {
        id: `everything#${index}`,
        server: 'everything',
        transport:
          spec.transport === 'http'
            ? { type: 'streamable-http', url: spec.url as string }
            : { type: 'stdio', ...everythingCommand() },
      },
      // Long timeouts: this measures memory, and a loaded machine can be slow to spawn.
      { maxSessions: 1, connectTimeoutMs: 60_000, acquireTimeoutMs: 60_000 },
    );
    closers.push(() => pool.close());
    await pool.acquire();
  } else {
    const client = new Client({ name: 'bench-bare', version: '0.0.0' });
    closers.push(() => client.close());
    const { command, args } = everythingCommand();
    await client.connect(
      spec.transport === 'http'
        ? new StreamableHTTPClientTransport(new URL(spec.url as string))
        : new StdioClientTransport({ command, args, stderr: 'ignore' }),
      { timeout: 60_000 },
    );
  }
}

let result: WorkerResult;
try {
  // One warm session first, so code loaded and compiled on first use is not counted per session.
  await openOne();
  await settle();
  const before = snapshot();
  const childrenBefore = childrenRss();
  const started = performance.now();
  for (let left = spec.count; left > 0; left -= BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, left) }, openOne));
  }
  const openMs = performance.now() - started;
  await settle();
  const after = snapshot();
  const childrenAfter = childrenRss();
  result = {
    count: spec.count,
    openMs,
    before,
    after,
    childProcesses: childrenAfter.processes - childrenBefore.processes,
    childRss: childrenAfter.rss - childrenBefore.rss,
  };
} finally {
  await Promise.all(closers.map((close) => close().catch(() => undefined)));
}
console.log(`RESULT ${JSON.stringify(result)}`);
