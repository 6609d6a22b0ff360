import { descendantPids } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('mcpmx demo (the built bin)', () => {
  it('prints the merged tool list of both servers with server and transport, then exits cleanly', async () => {
    const before = descendantPids();
    const { code, stdout, stderr } = await runCli(['demo']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^echo\s+everything\s+stdio:mcp-server-everything$/m);
    expect(stdout).toMatch(/^read_graph\s+memory\s+stdio:mcp-server-memory$/m);
    expect(stdout).toMatch(/\d+ tools from 2 of 2 servers/);
    expect(descendantPids()).toEqual(before);
  });

  it('names the problem when the config is invalid', async () => {
    const { code, stderr } = await runCli(['demo', '--config', '/nonexistent/mcp.json']);
    expect(code).toBe(1);
    expect(stderr).toContain('/nonexistent/mcp.json');
  });
});
