import { ConfigError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { loadServersConfig } from '../src/index.js';

// Issue 18: which tools, prompts and resources callers see, and tool overrides, per server.
const load = (server: Record<string, unknown>) =>
  loadServersConfig(JSON.stringify({ mcpServers: { fs: { command: 'node', ...server } } }), {
    source: 'mcp.json',
  });
const issuesOf = async (server: Record<string, unknown>) => {
  const error = await load(server).catch((thrown: unknown) => thrown);
  expect(ConfigError.isInstance(error)).toBe(true);
  return (error as ConfigError).issues;
};

describe('per-server tools/prompts/resources filters and overrides', () => {
  it('are read into the server settings as written', async () => {
    const config = await load({
      tools: { allow: ['read_*', 'search'], deny: ['*delete*'] },
      prompts: { deny: ['debug-*'] },
      resources: { allow: ['file:///srv/*'] },
      overrides: {
        read_file: {
          name: 'read',
          title: 'Read a file',
          description: 'Reads one file.',
          annotations: { readOnlyHint: true, idempotentHint: true },
        },
      },
    });
    expect(config.servers.fs).toMatchObject({
      tools: { allow: ['read_*', 'search'], deny: ['*delete*'] },
      prompts: { deny: ['debug-*'] },
      resources: { allow: ['file:///srv/*'] },
      overrides: { read_file: { name: 'read', annotations: { idempotentHint: true } } },
    });
  });

  it('a server without them has none', async () => {
    const config = await load({});
    expect(config.servers.fs?.tools).toBeUndefined();
    expect(config.servers.fs?.overrides).toBeUndefined();
  });

  it('each wrong shape is an issue naming its path', async () => {
    expect(await issuesOf({ tools: ['read_*'] })).toEqual([
      expect.objectContaining({
        path: 'mcpServers.fs.tools',
        expected: 'an object with "allow" and/or "deny", each an array of glob patterns',
      }),
    ]);
    expect(await issuesOf({ tools: { allow: 'read_*' } })).toEqual([
      expect.objectContaining({
        path: 'mcpServers.fs.tools.allow',
        expected: 'an array of strings',
      }),
    ]);
    const typo = await issuesOf({ tools: { alow: ['x'] } });
    expect(typo[0]?.path).toBe('mcpServers.fs.tools.alow');
    expect(typo[0]?.expected).toContain('allow');
    expect(await issuesOf({ overrides: { read_file: { name: 'has space' } } })).toEqual([
      expect.objectContaining({
        path: 'mcpServers.fs.overrides.read_file.name',
        expected: 'a tool name of 1 to 64 letters, digits, _ or -',
      }),
    ]);
    expect(
      await issuesOf({ overrides: { read_file: { annotations: { idempotentHint: 'yes' } } } }),
    ).toEqual([
      expect.objectContaining({
        path: 'mcpServers.fs.overrides.read_file.annotations.idempotentHint',
        expected: 'true or false',
      }),
    ]);
  });
});
