import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promises as dns } from 'node:dns';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, stopDaemon } from '@mcpmx/tooling-test-daemons';

/** One SRV record the fixture serves, with its target's address and TXT strings. */
export interface DnsmasqRecord {
  target: string;
  address: string;
  port: number;
  priority?: number;
  weight: number;
  /** TXT character-strings at the target name, e.g. ['tags=a,b', 'path=/mcp']. */
  txt?: string[];
}

/** Below the kernel's ephemeral range (32768+), so no outgoing socket takes it meanwhile. */
const PORT_RANGE = { from: 20_000, to: 32_000 } as const;

async function bindsBoth(port: number): Promise<boolean> {
  const udp = createSocket('udp4');
  const tcp = createServer();
  try {
    udp.bind(port, '127.0.0.1');
    await once(udp, 'listening');
    tcp.listen(port, '127.0.0.1');
    await once(tcp, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    await new Promise<void>((resolve) => udp.close(() => resolve())).catch(() => {});
    if (tcp.listening) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }
}

/**
 * A port on 127.0.0.1 free for both UDP and TCP (dnsmasq listens on both), chosen below the
 * ephemeral range: a port from bind(0) is one the kernel also hands to outgoing sockets (this
 * process's resolver, other processes' HTTP clients), which can take it while dnsmasq restarts.
 */
export async function freeDnsPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (await bindsBoth(port)) return port;
  }
  throw new RangeError(`no port free for UDP and TCP in ${PORT_RANGE.from}..${PORT_RANGE.to}`);
}

function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * A dnsmasq run unprivileged on a loopback port. Records change by restarting it (dnsmasq reads
 * --srv-host/--txt-record only at start). Owned: `close()` kills the PID it started.
 */
export class DnsmasqFixture {
  private child: ChildProcess | undefined;
  private records: readonly DnsmasqRecord[] = [];
  private serviceTxt: readonly string[] = [];
  private directory: string | undefined;

  constructor(
    readonly binary: string,
    readonly port: number,
    readonly service: string,
    readonly domain: string,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Replaces the records and restarts dnsmasq; resolves once it answers with them. */
  async serve(
    records: readonly DnsmasqRecord[],
    serviceTxt: readonly string[] = [],
  ): Promise<void> {
    this.records = records;
    this.serviceTxt = serviceTxt;
    await this.stop();
    await this.start();
  }

  /** Starts dnsmasq with the current records; resolves after one query confirms it answers. */
  async start(): Promise<void> {
    if (this.child) return;
    // Records go in a conf file: only there does dnsmasq honour quotes (TXT values with commas).
    const lines = [`local=/${this.domain}/`];
    for (const record of this.records) {
      lines.push(
        `srv-host=${this.service},${record.target},${record.port},${record.priority ?? 10},${record.weight}`,
        `host-record=${record.target},${record.address}`,
      );
      if (record.txt && record.txt.length > 0) {
        lines.push(`txt-record=${record.target},${record.txt.map(quote).join(',')}`);
      }
    }
    if (this.serviceTxt.length > 0) {
      lines.push(`txt-record=${this.service},${this.serviceTxt.map(quote).join(',')}`);
    }
    this.directory ??= mkdtempSync(join(tmpdir(), 'mcpmx-dnsmasq-'));
    const confFile = join(this.directory, 'dnsmasq.conf');
    writeFileSync(confFile, `${lines.join('\n')}\n`);
    const args = [
      '--keep-in-foreground',
      `--port=${this.port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      `--conf-file=${confFile}`,
      '--pid-file=',
      '--log-facility=-',
      '--cache-size=0',
    ];
    const child = await startDaemon(this.binary, args, {
      name: 'dnsmasq',
      readyText: 'started, version',
    });
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    // One confirming query (not a loop): dnsmasq logs "started" after binding its sockets.
    const resolver = new dns.Resolver({ timeout: 1000, tries: 3 });
    resolver.setServers([this.address]);
    try {
      await resolver.resolveSrv(this.service);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'ENOTFOUND' && code !== 'ENODATA') throw error;
    }
  }

  /** Kills dnsmasq and removes the temp conf directory. */
  async close(): Promise<void> {
    await this.stop();
    if (this.directory) rmSync(this.directory, { recursive: true, force: true });
    this.directory = undefined;
  }

  /** Kills the dnsmasq this fixture started and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await stopDaemon(child);
  }
}
