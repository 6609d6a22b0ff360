import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiscoveryEvents } from '@mcpmx/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConfigDiscovery } from './config-discovery.js';

const next = <K extends keyof DiscoveryEvents>(
  discovery: { on: (e: K, l: (p: DiscoveryEvents[K]) => void) => () => void },
  event: K,
) =>
  new Promise<DiscoveryEvents[K]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event}`)), 5000);
    const off = discovery.on(event, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });

describe('createConfigDiscovery', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('needs exactly one of path or config, and says so with an InvalidOptionError', () => {
    expect(() => createConfigDiscovery({})).toThrow(
      expect.objectContaining({
        code: 'MCPMX_INVALID_OPTION',
        message: expect.stringContaining('exactly one of "path" or "config"'),
      }),
    );
  });

  it('yields the file set, follows edits, and keeps the last good set on a bad edit', async () => {
    const path = join(dir, 'mcp.json');
    await writeFile(path, JSON.stringify({ mcpServers: { a: { command: 'a' } } }));
    const discovery = createConfigDiscovery({ path, debounceMs: 20 });
    const first = next(discovery, 'update');
    await discovery.start();
    expect((await first).endpoints.map((e) => e.id)).toEqual(['a#0']);

    const second = next(discovery, 'update');
    await writeFile(
      path,
      JSON.stringify({ mcpServers: { a: { command: 'a' }, b: { url: 'http://h/mcp' } } }),
    );
    expect((await second).endpoints.map((e) => e.id)).toEqual(['a#0', 'b#0']);

    const error = next(discovery, 'error');
    await writeFile(path, '{ "mcpServers": { "a": ');
    expect((await error).error.message).toContain('valid JSON');
    expect(discovery.current()?.endpoints.map((e) => e.id)).toEqual(['a#0', 'b#0']);

    await discovery.stop();
    let updates = 0;
    discovery.on('update', () => updates++);
    await writeFile(path, JSON.stringify({ mcpServers: {} }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(updates).toBe(0);
  });

  it('serves an inline config and names a missing file', async () => {
    const inline = createConfigDiscovery({
      config: { mcpServers: { x: { command: 'x' } } },
      id: 'inline',
    });
    await inline.start();
    expect(inline.current()?.endpoints[0]).toMatchObject({ id: 'x#0', source: 'inline' });
    await inline.stop();

    const missing = createConfigDiscovery({ path: join(dir, 'nope.json') });
    const error = next(missing, 'error');
    await missing.start();
    expect((await error).error.message).toContain('nope.json');
    await missing.stop();
  });
});
