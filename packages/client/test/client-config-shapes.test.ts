import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, McpmxError } from '@mcpmx/core';
import type { ConfigInput } from '@mcpmx/registry';
import { type HeaderCapture, startHeaderCapture, testServers } from '@mcpmx/tooling-test-servers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMultiServerClient } from '../src/index.js';
import { testPool, text } from './helpers.js';

let capture: HeaderCapture;
let dir: string;
beforeEach(async () => {
  capture = await startHeaderCapture();
  dir = await mkdtemp(join(tmpdir(), 'mcpmx-config-shapes-'));
});
afterEach(async () => {
  await capture.close();
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(relative: string, config: unknown): Promise<string> {
  const path = join(dir, relative);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, JSON.stringify(config, null, 2));
  return path;
}

describe('the headers a config names are the headers sent', () => {
  it('an unresolved ${env:…} or ${input:…} in headers is a config error, and nothing is sent (was: sent literally)', async () => {
    const path = await writeConfig('mcp.json', {
      mcpServers: {
        remote: {
          type: 'http',
          url: capture.url,
          headers: { Authorization: 'Bearer ${env:API_TOKEN}', 'X-Api-Key': '${input:api-key}' },
        },
      },
    });
    const client = createMultiServerClient({ config: path, env: {}, pool: testPool });
    const error = await client.start().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    await client.close();
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([
      {
        path: 'mcpServers.remote.headers.Authorization',
        expected: 'environment variable API_TOKEN to be set',
        found: undefined,
      },
      expect.objectContaining({
        path: 'mcpServers.remote.headers.X-Api-Key',
        expected: expect.stringContaining('"api-key" declared under "inputs"'),
      }),
    ]);
    expect(capture.requests).toEqual([]);
  });

  it('${env:VAR} and ${VAR} alike reach the server with their values', async () => {
    const path = await writeConfig('mcp.json', {
      mcpServers: {
        remote: {
          type: 'http',
          url: capture.url,
          headers: { Authorization: 'Bearer ${env:API_TOKEN}', 'X-Team': '${TEAM}' },
        },
      },
    });
    const client = createMultiServerClient({
      config: path,
      env: { API_TOKEN: 'tok-1', TEAM: 'blue' },
      pool: testPool,
    });
    try {
      await client.start();
      expect(text(await client.callTool('echo', { message: 'hi' }))).toContain('hi');
    } finally {
      await client.close();
    }
    expect(capture.requests.length).toBeGreaterThan(0);
    for (const headers of capture.requests) {
      expect(headers.authorization).toBe('Bearer tok-1');
      expect(headers['x-team']).toBe('blue');
    }
  });
});

describe("VS Code's .vscode/mcp.json through the client", () => {
  it('asks resolveInput for inputs, sends their values, and redacts them and the envFile values', async () => {
    const INPUT_SECRET = 'input-s3cr3t-5e1f';
    const FILE_SECRET = 'file-s3cr3t-77aa';
    await writeFile(join(dir, '.env'), `API_KEY=${FILE_SECRET}\n`);
    const path = await writeConfig('.vscode/mcp.json', {
      inputs: [{ type: 'promptString', id: 'api-key', description: 'API key', password: true }],
      servers: {
        remote: {
          type: 'http',
          url: capture.url,
          headers: { Authorization: 'Bearer ${input:api-key}' },
        },
        leak: {
          type: 'stdio',
          command: process.execPath,
          args: [testServers.leaky, '--token=${input:api-key}'],
          envFile: '../.env',
        },
      },
    });
    const asked: ConfigInput[] = [];
    const client = createMultiServerClient({
      config: path,
      env: {},
      resolveInput: (input) => {
        asked.push(input);
        return INPUT_SECRET;
      },
      pool: testPool,
      retry: { retries: 0 },
    });
    try {
      await client.start();
      expect(asked.map((input) => input.id)).toEqual(['api-key']);
      expect(text(await client.callTool('echo', { message: 'hi' }))).toContain('hi');
      const failed = await client.callTool('leak', {}).catch((error: unknown) => error);
      expect(McpmxError.isInstance(failed)).toBe(true);
      // The leaky server printed both values to the stderr its error quotes.
      expect((failed as Error).message).toContain('leaky-server: env API_KEY=');
      const shown = [(failed as Error).message, JSON.stringify(client.snapshot())].join('\n');
      expect(shown).not.toContain(INPUT_SECRET);
      expect(shown).not.toContain(FILE_SECRET);
    } finally {
      await client.close();
    }
    expect(capture.requests.length).toBeGreaterThan(0);
    for (const headers of capture.requests) {
      expect(headers.authorization).toBe(`Bearer ${INPUT_SECRET}`);
    }
  });
});
