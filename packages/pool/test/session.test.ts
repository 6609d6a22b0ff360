import { ConnectError, type McpmxError, systemClock } from '@mcpmx/core';
import { referenceServers, testServers } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';
import { openSession, type SessionOptions } from '../src/session.js';

const options: SessionOptions = {
  clock: systemClock,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  maxRequestDepth: 1000,
  protocol: 'auto',
  transport: {},
  clientInfo: { name: 'mcpmx-test', version: '0.0.0' },
};

const stdio = (script: string, args: string[] = []) => ({
  id: 'r#0',
  server: 'r',
  transport: { type: 'stdio' as const, command: process.execPath, args: [script, ...args] },
});

describe('openSession', () => {
  it('speaks 2025-11-25 to server-everything over stdio and calls echo', async () => {
    const session = await openSession(stdio(referenceServers.everything, ['stdio']), options);
    try {
      expect(session.protocolVersion).toBe('2025-11-25');
      const result = await session.callTool({ name: 'echo', arguments: { message: 'hi' } });
      expect(result.content).toEqual([{ type: 'text', text: 'Echo: hi' }]);
    } finally {
      await session.close();
    }
  });

  it('speaks 2026-07-28 to a server built on the v2 SDK', async () => {
    const session = await openSession(stdio(testServers.fault), options);
    try {
      expect(session.protocolVersion).toBe('2026-07-28');
      const result = await session.callTool({ name: 'echo', arguments: { message: 'new' } });
      expect(result.content).toEqual([{ type: 'text', text: 'Echo: new' }]);
    } finally {
      await session.close();
    }
  });

  it('names an unknown command within 2 s', async () => {
    const started = Date.now();
    const error = await openSession(
      { id: 'x#0', server: 'x', transport: { type: 'stdio', command: 'no-such-mcp-server-xyz' } },
      options,
    ).catch((e: unknown) => e);
    expect(ConnectError.isInstance(error)).toBe(true);
    expect((error as McpmxError).code).toBe('MCPMX_CONNECT_FAILED');
    expect((error as Error).message).toContain('command not found: "no-such-mcp-server-xyz"');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails fast with a protocol message when the server writes garbage to stdout', async () => {
    const error = await openSession(stdio(testServers.garbage), options).catch((e: unknown) => e);
    expect((error as McpmxError).code).toBe('MCPMX_CONNECT_FAILED');
    expect((error as Error).message).toMatch(/not JSON-RPC/);
  });

  it('gives up on a server that never answers initialize, quoting its stderr', async () => {
    const error = await openSession(stdio(testServers.silent), {
      ...options,
      connectTimeoutMs: 1500,
    }).catch((e: unknown) => e);
    expect((error as McpmxError).code).toBe('MCPMX_CONNECT_FAILED');
    expect((error as Error).message).toMatch(/within 1500 ms/);
    expect((error as Error).message).toContain('silent-server: reading stdin');
  });

  it('says how a stdio server that quits during the handshake ended, even with no stderr', async () => {
    const error = await openSession(
      {
        id: 'q#0',
        server: 'q',
        transport: {
          type: 'stdio',
          command: process.execPath,
          args: ['-e', 'process.exit(3)'],
        },
      },
      options,
    ).catch((e: unknown) => e);
    expect((error as McpmxError).code).toBe('MCPMX_CONNECT_FAILED');
    expect((error as Error).message).toMatch(/exited with code 3/);
  });

  it('says the connection was refused for an unreachable URL', async () => {
    const error = await openSession(
      {
        id: 'h#0',
        server: 'h',
        transport: { type: 'streamable-http', url: 'http://127.0.0.1:9/mcp' },
      },
      options,
    ).catch((e: unknown) => e);
    expect((error as McpmxError).code).toBe('MCPMX_CONNECT_FAILED');
    expect((error as Error).message).toContain('streamable-http:http://127.0.0.1:9/mcp');
  });
});
