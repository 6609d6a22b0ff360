import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenStoreError } from '@mcpmx/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileTokenStore, defaultTokenStorePath } from '../src/index.js';
import { tempDir } from './helpers.js';

const key = {
  issuer: 'https://as.example',
  resource: 'https://mcp.example/mcp',
  client: 'dynamic',
};
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function storePath(): Promise<string> {
  const dir = await tempDir();
  cleanups.push(dir.remove);
  return join(dir.path, 'config', 'mcpmx', 'tokens.json');
}

describe('createFileTokenStore', () => {
  it('writes a 0600 file in a 0700 directory, and a new store on the same file reads it back', async () => {
    const path = await storePath();
    const value = {
      tokens: { access_token: 'at-secret', token_type: 'Bearer', refresh_token: 'rt-secret' },
      client: { client_id: 'registered' },
      expiresAt: 1234,
    };
    await createFileTokenStore({ path }).set(key, value);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    const reopened = createFileTokenStore({ path });
    expect(await reopened.get(key)).toEqual(value);
    expect(await reopened.list()).toEqual([{ key, value }]);
    await reopened.delete(key);
    expect(await createFileTokenStore({ path }).get(key)).toBeUndefined();
  });

  it('keeps concurrent writes of different keys (queued read-modify-write)', async () => {
    const path = await storePath();
    const store = createFileTokenStore({ path });
    await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        store.set({ ...key, client: `c${index}` }, { client: { client_id: `c${index}` } }),
      ),
    );
    expect((await createFileTokenStore({ path }).list()).length).toBe(8);
  });

  it('a corrupt file fails with a TokenStoreError naming it, quoting none of its text, and is left alone', async () => {
    const path = await storePath();
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(
      path,
      '{"version":1,"entries":{"x":{"value":{"tokens":{"access_token":"leaked-secret"',
    );
    const store = createFileTokenStore({ path });
    const error = await store.get(key).catch((caught: unknown) => caught);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).not.toContain('leaked-secret');
    await expect(store.set(key, {})).rejects.toThrow(/not valid JSON/);
    expect(await readFile(path, 'utf8')).toContain('leaked-secret');

    await writeFile(path, '[1,2]');
    await expect(store.list()).rejects.toThrow(/not an mcpmx token store/);
  });

  it('defaults to $XDG_CONFIG_HOME/mcpmx/tokens.json, else ~/.config/mcpmx/tokens.json', () => {
    expect(defaultTokenStorePath({ XDG_CONFIG_HOME: '/x/config' })).toBe(
      '/x/config/mcpmx/tokens.json',
    );
    expect(defaultTokenStorePath({ HOME: '/home/u' })).toMatch(/\.config\/mcpmx\/tokens\.json$/);
  });
});
