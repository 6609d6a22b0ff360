import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@mcpmx/core';
import { testServers } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';
import { createMultiServerClient } from '../src/index.js';
import { testPool } from './helpers.js';

const fault = { command: process.execPath, args: [testServers.fault] };

/** start() on a config must reject with the ConfigError itself, listing every issue. */
async function startRejection(config: string | Record<string, unknown>): Promise<ConfigError> {
  const client = createMultiServerClient({ config, pool: testPool });
  try {
    await client.start();
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    return error as ConfigError;
  } finally {
    await client.close();
  }
  throw new Error('expected start() to reject');
}

describe('the client checks a config in full', () => {
  it('an unknown top-level key is an issue with a did-you-mean (was: silently accepted)', async () => {
    const error = await startRejection({
      mcpServers: { fault },
      retyr: { retries: 1 },
      extras: [],
    });
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'retyr',
          expected: expect.stringMatching(/\(did you mean "retry"\?\)$/),
        }),
        expect.objectContaining({ path: 'extras' }),
      ]),
    );
  });

  it('a settings value out of range is an issue, from a file too, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpmx-client-config-'));
    try {
      const path = join(dir, 'mcp.json');
      await writeFile(
        path,
        JSON.stringify({ mcpServers: { fault }, breaker: { consecutiveFailures: 0 } }),
      );
      const error = await startRejection(path);
      expect(error.message).toContain(path);
      expect(error.issues).toEqual([
        expect.objectContaining({
          path: 'breaker.consecutiveFailures',
          expected: 'an integer >= 1',
          found: 0,
        }),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the settings keys of the config format are accepted', async () => {
    const client = createMultiServerClient({
      config: {
        mcpServers: { fault },
        naming: { policy: 'prefix' },
        retry: { retries: 1 },
        timeoutMs: 5000,
      },
      pool: testPool,
    });
    try {
      await client.start();
      expect(client.servers()).toEqual(['fault']);
    } finally {
      await client.close();
    }
  });
});
