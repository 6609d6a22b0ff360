import { testServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from './gateway-process.js';
import { runCli } from './run-cli.js';

describe('mcpmx serve --http: session flags', () => {
  let gateway: GatewayProcess | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('names the flag when a value is out of range', async () => {
    const serve = (...flags: string[]) =>
      runCli(['serve', '--config', '/nonexistent/mcp.json', '--http', '0', ...flags]);
    const sessions = await serve('--max-sessions', '0');
    expect(sessions.code).toBe(1);
    expect(sessions.stderr).toMatch(/--max-sessions must be an integer >= 1 \(got 0\)/);
    const idle = await serve('--session-idle-timeout', 'soon');
    expect(idle.code).toBe(1);
    expect(idle.stderr).toMatch(/--session-idle-timeout.*expected a whole number, got "soon"/);
  });

  it('--max-sessions bounds the sessions of the built gateway; a closed session frees its slot', async () => {
    gateway = await startGatewayProcess(
      { mcpServers: { local: { command: process.execPath, args: [testServers.fault] } } },
      ['--max-sessions', '1', '--session-idle-timeout', '60000'],
    );
    const url = new URL(`${gateway.url}/mcp`);
    const first = new Client({ name: 'first', version: '0.0.0' });
    const firstTransport = new StreamableHTTPClientTransport(url);
    await first.connect(firstTransport);
    expect(firstTransport.sessionId).toBeTruthy();
    const second = new Client({ name: 'second', version: '0.0.0' });
    await expect(second.connect(new StreamableHTTPClientTransport(url))).rejects.toThrow(
      /maxSessions/,
    );
    await firstTransport.terminateSession();
    await first.close();
    const third = new Client({ name: 'third', version: '0.0.0' });
    await third.connect(new StreamableHTTPClientTransport(url));
    try {
      expect((await third.listTools()).tools.map((tool) => tool.name)).toContain('echo');
    } finally {
      await third.close();
    }
  });
});
