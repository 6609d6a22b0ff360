import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, faultServerScript, startEverythingHttp } from '@mcpmx/fault-server';
import { referenceServers } from './reference-servers.js';

/** Everything the demo starts, all on loopback or stdio, and the files that describe it. */
export interface Fleet {
  /** A temp dir for the memory file, the filesystem server's files and the discovery file. */
  readonly dir: string;
  /** The filesystem server's root. */
  readonly filesDir: string;
  /** Three server-everything processes over Streamable HTTP; each can be killed and restarted. */
  readonly everything: readonly ChildServer[];
  /** The `mcpServers` config of the stdio servers (memory, filesystem, flaky). */
  readonly config: Record<string, unknown>;
  /** The file a discovery source watches; `announce(n)` lists the first n HTTP replicas. */
  readonly discoveryFile: string;
  announce(replicas: number): Promise<void>;
  close(): Promise<void>;
}

/** Latency the slow replica of the flaky server adds to every call. */
export const SLOW_REPLICA_MS = 60;

/**
 * Starts the demo's servers: three replicas of server-everything over Streamable HTTP (found
 * through a file discovery source), server-memory and server-filesystem over stdio, and three
 * replicas of a fault-injecting test server, one of them slow.
 */
export async function startFleet(): Promise<Fleet> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpmx-demo-'));
  const filesDir = join(dir, 'files');
  const discoveryFile = join(dir, 'discovery', 'services.json');
  const everything: ChildServer[] = [];
  const close = async () => {
    await Promise.allSettled(everything.map((server) => server.close()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await mkdir(filesDir);
    await mkdir(join(dir, 'discovery'));
    await writeFile(join(filesDir, 'plan.md'), '# Plan\n\n- federate\n- balance\n- fail over\n');
    await writeFile(join(filesDir, 'notes.txt'), 'mcpmx demo notes\n');
    const started = await Promise.allSettled(
      [0, 1, 2].map(() => startEverythingHttp(referenceServers.everything, 'streamableHttp')),
    );
    for (const result of started) if (result.status === 'fulfilled') everything.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;

    const node = process.execPath;
    const flaky = (index: number, env: Record<string, string> = {}) => ({
      command: node,
      args: [faultServerScript],
      env: { FAULT_NAME: `flaky-${index}`, ...env },
    });
    const config = {
      mcpServers: {
        memory: {
          command: node,
          args: [referenceServers.memory],
          env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
        },
        filesystem: { command: node, args: [referenceServers.filesystem, filesDir] },
        flaky: {
          replicas: [flaky(0), flaky(1), flaky(2, { FAULT_LATENCY_MS: String(SLOW_REPLICA_MS) })],
          tags: ['test'],
        },
      },
    };
    const announce = async (count: number) => {
      const services = {
        mcpServers: {
          everything: {
            replicas: everything.slice(0, count).map((server) => ({ url: server.url })),
            tags: ['reference'],
          },
        },
      };
      // Write then rename, so the watcher never reads half a file.
      const next = `${discoveryFile}.next`;
      await writeFile(next, `${JSON.stringify(services, null, 2)}\n`);
      await rename(next, discoveryFile);
    };
    await announce(2);
    return { dir, filesDir, everything, config, discoveryFile, announce, close };
  } catch (error) {
    await close();
    throw error;
  }
}
