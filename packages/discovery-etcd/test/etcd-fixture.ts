import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, stopDaemon } from '@mcpmx/tooling-test-daemons';

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A single-member etcd on loopback in a temp data dir. `stop()` kills the PID it started;
 * `start()` again restarts it on the same ports and data dir (revisions survive).
 */
export class EtcdFixture {
  private child: ChildProcess | undefined;
  private readonly directory = mkdtempSync(join(tmpdir(), 'mcpmx-etcd-'));

  private constructor(
    readonly binary: string,
    readonly clientPort: number,
    readonly peerPort: number,
  ) {}

  static async create(binary: string): Promise<EtcdFixture> {
    return new EtcdFixture(binary, await freeTcpPort(), await freeTcpPort());
  }

  get url(): string {
    return `http://127.0.0.1:${this.clientPort}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts etcd; resolves when it logs that it serves client requests. */
  async start(extraArgs: readonly string[] = []): Promise<void> {
    if (this.child) return;
    const peer = `http://127.0.0.1:${this.peerPort}`;
    const child = await startDaemon(
      this.binary,
      [
        '--data-dir',
        join(this.directory, 'data'),
        '--listen-client-urls',
        this.url,
        '--advertise-client-urls',
        this.url,
        '--listen-peer-urls',
        peer,
        '--initial-advertise-peer-urls',
        peer,
        '--initial-cluster',
        `default=${peer}`,
        ...extraArgs,
      ],
      { name: 'etcd', readyText: 'ready to serve client requests' },
    );
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
  }

  /** Kills the etcd this fixture started and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await stopDaemon(child);
  }

  /** Stops etcd and deletes its data dir. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
