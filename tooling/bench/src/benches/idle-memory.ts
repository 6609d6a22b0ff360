import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEverythingHttp } from '@mcpmx/tooling-test-servers';
import { median } from '../lib/measure.js';
import { type BenchOptions, fixed, ratio, type Section } from '../lib/report.js';

export interface IdleMemoryOptions extends BenchOptions {
  /** Idle sessions per HTTP measurement. Default 50 and 200 (quick: 25). */
  counts?: readonly number[];
  rounds?: number;
  /** Idle stdio sessions per measurement (each is a server process); 0 skips. */
  stdioCount?: number;
  stdioRounds?: number;
}

/** What the worker process is asked to measure. */
export interface WorkerSpec {
  client: 'pool' | 'bare';
  transport: 'http' | 'stdio';
  url?: string;
  count: number;
  settleMs: number;
}

interface Memory {
  heapUsed: number;
  external: number;
  rss: number;
}

/** What the worker prints. */
export interface WorkerResult {
  count: number;
  openMs: number;
  before: Memory;
  after: Memory;
  childProcesses: number;
  childRss: number;
}

const WORKER_TIMEOUT_MS = 180_000;
const KiB = 1024;

/** Runs one measurement in a fresh `node --expose-gc` process. */
async function measureInWorker(spec: WorkerSpec): Promise<WorkerResult> {
  const worker = fileURLToPath(new URL('./idle-memory-worker.js', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', worker, JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout = (stdout + chunk.toString()).slice(-64 * KiB);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8 * KiB);
  });
  const timer = setTimeout(() => {
    if (child.pid !== undefined) child.kill('SIGKILL');
  }, WORKER_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(timer));
  const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
  if (code !== 0 || !line) {
    throw new Error(
      `idle-memory worker (${JSON.stringify(spec)}) exited with ${code}; stderr:\n${stderr}`,
    );
  }
  return JSON.parse(line.slice('RESULT '.length)) as WorkerResult;
}

interface PerSession {
  heap: number;
  external: number;
  rss: number;
  childRss: number;
  openMs: number;
}

function perSession(result: WorkerResult): PerSession {
  return {
    heap: (result.after.heapUsed - result.before.heapUsed) / result.count,
    external: (result.after.external - result.before.external) / result.count,
    rss: (result.after.rss - result.before.rss) / result.count,
    childRss: result.childRss / result.count,
    openMs: result.openMs,
  };
}

const medianOf = (samples: readonly PerSession[], key: keyof PerSession) =>
  median(samples.map((sample) => sample[key]));
/** a / b, or n/a when the baseline is too small to divide by (noise around zero). */
const ratioOf = (a: number, b: number) => (b > 1024 ? ratio(a / b) : 'n/a');
const kib = (bytes: number) => `${fixed(bytes / KiB, 1)} KiB`;
const mib = (bytes: number) => `${fixed(bytes / (KiB * KiB), 1)} MiB`;

/**
 * Memory per idle session: N sessions through @mcpmx/pool (one pool per session, as the client
 * keeps one per replica) against N bare SDK v2 clients, to server-everything over Streamable
 * HTTP, each measurement in its own `node --expose-gc` process; heap, external and RSS growth
 * per session after forced GC. Then the same over stdio, where each session is also a process.
 */
export async function idleMemory(options: IdleMemoryOptions): Promise<Section> {
  const counts = options.counts ?? (options.quick ? [25] : [50, 200]);
  const rounds = options.rounds ?? (options.quick ? 1 : 3);
  const stdioCount = options.stdioCount ?? (options.quick ? 3 : 10);
  const stdioRounds = options.stdioRounds ?? (options.quick ? 1 : 2);
  const settleMs = options.quick ? 500 : 1000;

  const http = new Map<string, PerSession[]>();
  for (let round = 0; round < rounds; round++) {
    for (const count of counts) {
      const clients = round % 2 === 0 ? (['pool', 'bare'] as const) : (['bare', 'pool'] as const);
      for (const client of clients) {
        // A fresh server for every measurement: server-everything keeps state per session.
        const server = await startEverythingHttp('streamableHttp');
        try {
          const result = await measureInWorker({
            client,
            transport: 'http',
            url: server.url,
            count,
            settleMs,
          });
          const key = `${client}@${count}`;
          http.set(key, [...(http.get(key) ?? []), perSession(result)]);
        } finally {
          await server.close();
        }
      }
    }
  }

  const stdio = new Map<string, PerSession[]>();
  for (let round = 0; round < (stdioCount > 0 ? stdioRounds : 0); round++) {
    const clients = round % 2 === 0 ? (['pool', 'bare'] as const) : (['bare', 'pool'] as const);
    for (const client of clients) {
      const result = await measureInWorker({
        client,
        transport: 'stdio',
        count: stdioCount,
        settleMs,
      });
      if (result.childProcesses !== stdioCount) {
        throw new Error(`expected ${stdioCount} server processes, found ${result.childProcesses}`);
      }
      stdio.set(client, [...(stdio.get(client) ?? []), perSession(result)]);
    }
  }

  const httpRows = counts.flatMap((count) => {
    const pool = http.get(`pool@${count}`) ?? [];
    const bare = http.get(`bare@${count}`) ?? [];
    const row = (name: string, samples: PerSession[], baseline?: PerSession[]) => [
      String(count),
      name,
      kib(medianOf(samples, 'heap')),
      kib(medianOf(samples, 'external')),
      kib(medianOf(samples, 'rss')),
      baseline ? ratioOf(medianOf(samples, 'heap'), medianOf(baseline, 'heap')) : '1.000',
      baseline ? ratioOf(medianOf(samples, 'rss'), medianOf(baseline, 'rss')) : '1.000',
      `${fixed(medianOf(samples, 'openMs'))} ms`,
    ];
    return [row('bare SDK v2', bare), row('@mcpmx/pool', pool, bare)];
  });
  const stdioPool = stdio.get('pool') ?? [];
  const stdioBare = stdio.get('bare') ?? [];
  const stdioRow = (name: string, samples: PerSession[], baseline?: PerSession[]) => [
    String(stdioCount),
    name,
    kib(medianOf(samples, 'heap')),
    kib(medianOf(samples, 'rss')),
    baseline ? ratioOf(medianOf(samples, 'heap'), medianOf(baseline, 'heap')) : '1.000',
    mib(medianOf(samples, 'childRss')),
  ];
  const largest = counts[counts.length - 1] as number;
  const heapRatio =
    medianOf(http.get(`pool@${largest}`) ?? [], 'heap') /
    medianOf(http.get(`bare@${largest}`) ?? [], 'heap');

  return {
    id: 'idle-memory',
    title: 'Memory per idle session',
    setup:
      'N idle sessions to `@modelcontextprotocol/server-everything` over Streamable HTTP ' +
      'through `@mcpmx/pool` (one pool of one session per connection, as the client keeps one ' +
      'pool per replica; default pool options but for 60 s connect and acquire timeouts) against ' +
      'N bare SDK v2 clients (60 s connect timeout). Each measurement ' +
      'runs in its own `node --expose-gc` process against a fresh server: one warm session ' +
      `first, then N more opened 10 at a time (2 over stdio), ${settleMs / 1000} s idle, ` +
      'forced GC; the ' +
      'figures are the growth per session of V8 heap used, external memory (buffers) and RSS. ' +
      `Median of ${rounds} round(s), the order alternating by round. Stdio: the same with ` +
      `${stdioCount} sessions, each a server-everything process (${stdioRounds} round(s)); ` +
      'the server column is that process’s resident memory. Script: `idle-memory.js`.',
    tables: [
      {
        headers: [
          'HTTP sessions',
          'client',
          'heap / session',
          'external / session',
          'RSS / session',
          'heap ratio (vs bare)',
          'RSS ratio (vs bare)',
          'time to open all',
        ],
        rows: httpRows,
      },
      ...(stdioCount > 0
        ? [
            {
              headers: [
                'stdio sessions',
                'client',
                'heap / session',
                'RSS / session (client)',
                'heap ratio (vs bare)',
                'server process RSS / session',
              ],
              rows: [
                stdioRow('bare SDK v2', stdioBare),
                stdioRow('@mcpmx/pool', stdioPool, stdioBare),
              ],
            },
          ]
        : []),
    ],
    findings: [
      `At ${largest} HTTP sessions a pooled session holds ${ratio(heapRatio)}× the heap of a bare ` +
        'SDK client; RSS per session is noisier than heap (allocator pages are not returned at once).',
      ...(stdioCount > 0
        ? [
            `Over stdio the server process dominates: ${mib(medianOf(stdioPool, 'childRss'))} ` +
              `resident per session through the pool, ${mib(medianOf(stdioBare, 'childRss'))} ` +
              `for the bare client, against ${kib(medianOf(stdioPool, 'heap'))} and ` +
              `${kib(medianOf(stdioBare, 'heap'))} of client heap.`,
          ]
        : []),
    ],
  };
}
