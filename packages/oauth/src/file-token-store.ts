import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { TokenStoreError } from '@mcpmx/core';
import {
  type CredentialKey,
  credentialKeyId,
  type StoredCredentials,
  type TokenStore,
} from './token-store.js';

export interface FileTokenStoreOptions {
  /** The file. Default defaultTokenStorePath(): `$XDG_CONFIG_HOME/mcpmx/tokens.json`, else `~/.config/mcpmx/tokens.json`. */
  path?: string;
}

interface FileShape {
  version: 1;
  entries: Record<string, { key: CredentialKey; value: StoredCredentials }>;
}

/** `$XDG_CONFIG_HOME/mcpmx/tokens.json`, or `~/.config/mcpmx/tokens.json` without it. */
export function defaultTokenStorePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'mcpmx', 'tokens.json');
}

/**
 * The default token store: one JSON file, mode 0600, in a directory of mode 0700. Every write
 * goes to a temporary file (0600) renamed over the old one, so a crash leaves either the old
 * file or the new one, never half of one. Reads see what other processes (`mcpmx login`) wrote.
 * Writes from this process are queued one after another. A file that is not the store's JSON
 * fails with a TokenStoreError naming the file, never a crash, and is never overwritten.
 */
export function createFileTokenStore(options: FileTokenStoreOptions = {}): TokenStore {
  const path = options.path ?? defaultTokenStorePath();
  let queue: Promise<unknown> = Promise.resolve();

  const read = async (): Promise<FileShape> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
      throw new TokenStoreError(
        `cannot read the token store ${path}: ${(error as Error).message}`,
        { path, cause: error },
      );
    }
    return parse(text, path);
  };

  const write = async (shape: FileShape): Promise<void> => {
    const directory = dirname(path);
    try {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await chmod(directory, 0o700);
      const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(shape, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path).catch(async (error: unknown) => {
        await rm(temporary, { force: true });
        throw error;
      });
    } catch (error) {
      throw new TokenStoreError(
        `cannot write the token store ${path}: ${(error as Error).message}`,
        { path, cause: error },
      );
    }
  };

  /** Runs read-modify-write steps one at a time. */
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const next = queue.then(step, step);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    get: async (key) => (await read()).entries[credentialKeyId(key)]?.value,
    set: (key, value) =>
      serial(async () => {
        const shape = await read();
        shape.entries[credentialKeyId(key)] = { key: { ...key }, value };
        await write(shape);
      }),
    delete: (key) =>
      serial(async () => {
        const shape = await read();
        if (!(credentialKeyId(key) in shape.entries)) return;
        delete shape.entries[credentialKeyId(key)];
        await write(shape);
      }),
    list: async () => Object.values((await read()).entries),
  };
}

function parse(text: string, path: string): FileShape {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which may hold tokens: it is left out.
    throw new TokenStoreError(
      `the token store ${path} is not valid JSON; move it away or delete it, then log in again`,
      { path },
    );
  }
  const shape = parsed as Partial<FileShape> | null;
  if (
    typeof shape !== 'object' ||
    shape === null ||
    shape.version !== 1 ||
    typeof shape.entries !== 'object' ||
    shape.entries === null
  ) {
    throw new TokenStoreError(
      `the token store ${path} is not an mcpmx token store (expected { "version": 1, "entries": { ... } }); move it away or delete it, then log in again`,
      { path },
    );
  }
  return shape as FileShape;
}
