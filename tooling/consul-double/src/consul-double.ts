import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One entry as `GET /v1/health/service/:name` returns it (the fields mcpmx reads). */
export interface ConsulHealthEntry {
  Node: { Node: string; Address: string };
  Service: {
    ID: string;
    Service: string;
    Tags: string[];
    Address: string;
    Port: number;
    Meta: Record<string, string>;
    Weights: { Passing: number; Warning: number };
  };
  Checks: { Status: 'passing' | 'warning' | 'critical' }[];
}

/** A short form of an entry for {@link ConsulDouble.setService}; omitted fields get defaults. */
export interface ConsulEntryInput {
  id: string;
  node?: string;
  nodeAddress?: string;
  /** Service address; '' means "use the node address", as in Consul. Default ''. */
  address?: string;
  port: number;
  tags?: string[];
  meta?: Record<string, string>;
  weights?: { Passing: number; Warning: number };
  /** Aggregate health. Default 'passing'. */
  status?: 'passing' | 'warning' | 'critical';
  /** Raw override: this value is served instead of the built entry (for malformed records). */
  raw?: unknown;
}

/** A fault for the next matching requests. */
/**
 * `oversized-body` streams a valid-looking JSON array of 64 MiB (1 MiB at a time, stopping
 * early if the client hangs up), to test that clients bound what they read.
 */
export type ConsulFault = 'http-500' | 'garbage-body' | 'missing-index' | 'oversized-body';

/** One request the double received. */
export interface ConsulRequestLog {
  path: string;
  service: string | undefined;
  index: number | undefined;
  wait: string | undefined;
  tags: string[];
  passing: boolean;
  token: string | undefined;
  receivedAt: number;
}

export interface ConsulDoubleOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Apply Consul's random extra wait of up to wait/16. Default true. */
  jitter?: boolean;
}

export interface ConsulDouble {
  /** Base URL, e.g. `http://127.0.0.1:8500`. */
  readonly url: string;
  readonly port: number;
  /** Replaces the entries of one service and raises the index (wakes blocked queries). */
  setService(name: string, entries: readonly ConsulEntryInput[]): void;
  /** Marks every entry on `node` critical (or passing again) and raises the index. */
  setNodeDown(node: string, down: boolean): void;
  /** The current X-Consul-Index. */
  currentIndex(): number;
  /** Forces the index (e.g. lower, as after a snapshot restore) and wakes blocked queries. */
  setIndex(index: number): void;
  /** Makes the next `count` requests fail with `fault`. */
  injectFault(fault: ConsulFault, count?: number): void;
  /** Every request received so far. */
  readonly requests: readonly ConsulRequestLog[];
  /** Number of requests currently blocked. */
  blockedCount(): number;
  /** Stops listening (pending requests are dropped); state is kept. */
  stopListening(): Promise<void>;
  /** Listens again on the same port. */
  listen(): Promise<void>;
  /** Stops listening and releases everything. */
  close(): Promise<void>;
}

const MAX_WAIT_MS = 10 * 60_000;
const DEFAULT_WAIT_MS = 5 * 60_000;

/** Parses a Consul duration for `wait` ("5s", "100ms", "1m", "10"=seconds). Undefined if invalid. */
export function parseConsulWait(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return value * factor;
}

function buildEntry(service: string, input: ConsulEntryInput): unknown {
  if (input.raw !== undefined) return input.raw;
  const entry: ConsulHealthEntry = {
    Node: { Node: input.node ?? `node-${input.id}`, Address: input.nodeAddress ?? '127.0.0.1' },
    Service: {
      ID: input.id,
      Service: service,
      Tags: input.tags ?? [],
      Address: input.address ?? '',
      Port: input.port,
      Meta: input.meta ?? {},
      Weights: input.weights ?? { Passing: 1, Warning: 1 },
    },
    Checks: [{ Status: input.status ?? 'passing' }],
  };
  return entry;
}

/** Starts the Consul protocol double on 127.0.0.1. See the package README for its semantics. */
export async function startConsulDouble(options: ConsulDoubleOptions = {}): Promise<ConsulDouble> {
  const jitter = options.jitter ?? true;
  const services = new Map<string, { input: ConsulEntryInput; nodeDown: boolean }[]>();
  const requests: ConsulRequestLog[] = [];
  const waiters = new Set<() => void>();
  const faults: { fault: ConsulFault; count: number }[] = [];
  let index = 1;
  let server: Server | undefined;
  let port = options.port ?? 0;

  const bump = (to?: number) => {
    index = to ?? index + 1;
    for (const wake of [...waiters]) wake();
  };

  const render = (name: string, passing: boolean, tags: string[]): unknown[] => {
    const entries = services.get(name) ?? [];
    const out: unknown[] = [];
    for (const { input, nodeDown } of entries) {
      const status = nodeDown ? 'critical' : (input.status ?? 'passing');
      if (passing && status !== 'passing') continue;
      if (input.raw === undefined && !tags.every((tag) => (input.tags ?? []).includes(tag)))
        continue;
      const entry = buildEntry(name, input) as ConsulHealthEntry;
      if (input.raw === undefined) entry.Checks = [{ Status: status }];
      out.push(entry);
    }
    return out;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://double');
    const match = /^\/v1\/health\/service\/([^/]+)$/.exec(url.pathname);
    const indexParam = url.searchParams.get('index');
    const waitParam = url.searchParams.get('wait') ?? undefined;
    const tags = url.searchParams.getAll('tag');
    const passing = url.searchParams.has('passing') && url.searchParams.get('passing') !== 'false';
    const tokenHeader = req.headers['x-consul-token'];
    const log: ConsulRequestLog = {
      path: url.pathname,
      service: match ? decodeURIComponent(match[1] as string) : undefined,
      index: indexParam === null ? undefined : Number(indexParam),
      wait: waitParam,
      tags,
      passing,
      token: typeof tokenHeader === 'string' ? tokenHeader : undefined,
      receivedAt: Date.now(),
    };
    requests.push(log);
    if (req.method !== 'GET' || !match || !log.service) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const name = log.service;
    const fault = faults[0];
    if (fault) {
      fault.count -= 1;
      if (fault.count <= 0) faults.shift();
      if (fault.fault === 'http-500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('rpc error: injected fault');
      } else if (fault.fault === 'garbage-body') {
        res
          .writeHead(200, { 'content-type': 'application/json', 'x-consul-index': String(index) })
          .end('{not json');
      } else if (fault.fault === 'oversized-body') {
        res.writeHead(200, { 'content-type': 'application/json', 'x-consul-index': String(index) });
        const chunk = `${'{"Service":{"ID":"x"}},'.repeat(Math.floor((1 << 20) / 23))}\n`;
        let sent = 0;
        const pump = () => {
          while (sent < 64 && !res.destroyed) {
            sent++;
            if (!res.write(sent === 1 ? `[${chunk}` : chunk)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end('{}]');
        };
        pump();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      }
      return;
    }
    let waitMs = DEFAULT_WAIT_MS;
    if (waitParam !== undefined) {
      const parsed = parseConsulWait(waitParam);
      if (parsed === undefined) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`Invalid wait time: ${waitParam}`);
        return;
      }
      waitMs = parsed;
    }
    waitMs = Math.min(waitMs, MAX_WAIT_MS);
    if (jitter) waitMs += Math.random() * (waitMs / 16);
    const respond = () => {
      if (res.writableEnded || res.destroyed) return;
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-consul-index': String(index) })
        .end(JSON.stringify(render(name, passing, tags)));
    };
    const minIndex = log.index;
    // As Consul: block while the current index is <= the requested one (also when the index
    // went backwards, so the client only sees the lower index after the wait).
    const shouldBlock = () => minIndex !== undefined && minIndex > 0 && index <= minIndex;
    if (!shouldBlock()) {
      respond();
      return;
    }
    const timer = setTimeout(done, waitMs);
    function done() {
      clearTimeout(timer);
      waiters.delete(wake);
      respond();
    }
    function wake() {
      if (!shouldBlock()) done();
    }
    waiters.add(wake);
    res.on('close', () => {
      clearTimeout(timer);
      waiters.delete(wake);
    });
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const created = createServer(handle);
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        port = (created.address() as AddressInfo).port;
        server = created;
        resolve();
      });
    });

  const stopListening = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      for (const wake of [...waiters]) waiters.delete(wake);
      if (!current) {
        resolve();
        return;
      }
      current.close(() => resolve());
      current.closeAllConnections();
    });

  await listen();

  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    requests,
    setService(name, entries) {
      services.set(
        name,
        entries.map((input) => ({ input, nodeDown: false })),
      );
      bump();
    },
    setNodeDown(node, down) {
      for (const entries of services.values()) {
        for (const entry of entries) {
          if ((entry.input.node ?? `node-${entry.input.id}`) === node) entry.nodeDown = down;
        }
      }
      bump();
    },
    currentIndex: () => index,
    setIndex(to) {
      bump(to);
    },
    injectFault(fault, count = 1) {
      faults.push({ fault, count });
    },
    blockedCount: () => waiters.size,
    stopListening,
    listen,
    close: stopListening,
  };
}
