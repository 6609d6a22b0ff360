import { ConnectError, McpmxError } from '@mcpmx/core';
import { getFreePort, testServers } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { StdioTransport, WebSocketTransport } from '../src/index.js';

// The exported transports can be used on their own (in createTransport, or under an SDK
// Client): what they throw is an McpmxError that names the command or URL, never a bare Error.

describe('StdioTransport errors', () => {
  it('a command that does not exist: ConnectError naming it', async () => {
    const transport = new StdioTransport({ type: 'stdio', command: 'mcpmx-no-such-command' });
    const failure = await transport.start().catch((error: unknown) => error);
    await transport.close();
    expect(ConnectError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toContain('command not found: "mcpmx-no-such-command"');
  });

  it('started twice: ConnectError saying a transport serves one session', async () => {
    const transport = new StdioTransport({
      type: 'stdio',
      command: process.execPath,
      args: [testServers.fault],
    });
    await transport.start();
    try {
      expect(() => transport.start()).toThrow(ConnectError);
      expect(() => transport.start()).toThrow(/already started.*new one each time/);
    } finally {
      await transport.close();
    }
  });
});

describe('WebSocketTransport errors', () => {
  it('nothing listening: ConnectError naming the URL', async () => {
    const url = `ws://127.0.0.1:${await getFreePort()}/`;
    const transport = new WebSocketTransport({ type: 'websocket', url });
    const failure = await transport.start().catch((error: unknown) => error);
    expect(ConnectError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toContain(url);
    expect((failure as Error).message).toContain('ECONNREFUSED');
  });

  it('a server that does not speak the mcp subprotocol: ConnectError, and no socket left open', async () => {
    const server = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      handleProtocols: () => false,
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const address = server.address();
    const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    try {
      const transport = new WebSocketTransport({ type: 'websocket', url });
      const failure = await transport.start().catch((error: unknown) => error);
      expect(McpmxError.isInstance(failure)).toBe(true);
      expect(ConnectError.isInstance(failure)).toBe(true);
      expect((failure as Error).message).toContain(url);
      await transport.close();
    } finally {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
