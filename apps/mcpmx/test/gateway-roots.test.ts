import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { referenceServers } from '@mcpmx/tooling-test-servers';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliPath } from './run-cli.js';

const texts = (result: { content?: unknown }) =>
  ((result.content ?? []) as { text?: string }[]).map((part) => part.text ?? '').join('\n');

describe("mcpmx serve (stdio) passes its client's roots on to upstream servers", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-roots-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('server-filesystem, started with no directory, serves the root the client gave and refuses the rest', {
    timeout: 60_000,
  }, async () => {
    const inside = join(dir, 'inside');
    const outside = join(dir, 'outside');
    await mkdir(inside);
    await mkdir(outside);
    await writeFile(join(inside, 'note.txt'), 'within the root');
    await writeFile(join(outside, 'secret.txt'), 'not for you');
    const config = join(dir, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: { files: { command: process.execPath, args: [referenceServers.filesystem] } },
      }),
    );
    let roots = [{ uri: pathToFileURL(inside).href, name: 'inside' }];
    const sdk = new Client(
      { name: 'roots-test', version: '0.0.0' },
      { capabilities: { roots: { listChanged: true } } },
    );
    sdk.setRequestHandler('roots/list', async () => ({ roots }));
    await sdk.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cliPath, 'serve', '--config', config, '--advertise', 'roots'],
        stderr: 'pipe',
      }),
    );
    try {
      const read = (path: string) => sdk.callTool({ name: 'read_text_file', arguments: { path } });
      // The roots reach server-filesystem after initialize, through the gateway: wait for them.
      await expect
        .poll(
          async () =>
            texts(await sdk.callTool({ name: 'list_allowed_directories', arguments: {} })),
          {
            timeout: 15_000,
            interval: 100,
          },
        )
        .toContain(inside);
      expect(texts(await read(join(inside, 'note.txt')))).toContain('within the root');
      const refused = await read(join(outside, 'secret.txt'));
      expect(refused.isError).toBe(true);
      expect(texts(refused)).toMatch(/Access denied/);

      // The client's roots change: the gateway passes the change on.
      roots = [{ uri: pathToFileURL(outside).href, name: 'outside' }];
      await sdk.sendRootsListChanged();
      await expect
        .poll(async () => texts(await read(join(outside, 'secret.txt'))), {
          timeout: 15_000,
          interval: 100,
        })
        .toContain('not for you');
      expect((await read(join(inside, 'note.txt'))).isError).toBe(true);
    } finally {
      await sdk.close();
    }
  });
});
