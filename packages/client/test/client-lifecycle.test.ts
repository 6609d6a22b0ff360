import { describe, expect, it } from 'vitest';
import { createMultiServerClient } from '../src/index.js';
import { everything, faultReplica, testPool } from './helpers.js';

describe('MultiServerClient lifecycle: created → started → closed', () => {
  it('a call before start() says the client is not started (was: "Unknown tool")', async () => {
    const client = createMultiServerClient({
      endpoints: [faultReplica('fault', 0)],
      pool: testPool,
    });
    try {
      await expect(client.callTool('echo', { message: 'x' })).rejects.toMatchObject({
        code: 'MCPMX_NOT_STARTED',
        message: expect.stringContaining('call start() first'),
      });
      await expect(client.getPrompt('simple-prompt')).rejects.toMatchObject({
        code: 'MCPMX_NOT_STARTED',
      });
      await expect(client.readResource('fault://item/1')).rejects.toMatchObject({
        code: 'MCPMX_NOT_STARTED',
      });
      await expect(client.fanOut('echo', { message: 'x' })).rejects.toMatchObject({
        code: 'MCPMX_NOT_STARTED',
      });
      expect(() => client.listTools()).toThrow(/not started/);
    } finally {
      await client.close();
    }
  });

  it('calls after close() say the client is closed, and start() after close() rejects', async () => {
    const client = createMultiServerClient({ endpoints: [everything()], pool: testPool });
    await client.start();
    expect(client.listTools().length).toBeGreaterThan(0);
    await client.close();
    const closed = { code: 'MCPMX_CLIENT_CLOSED', message: expect.stringContaining('closed') };
    await expect(client.callTool('get-sum', { a: 1, b: 2 })).rejects.toMatchObject(closed);
    await expect(client.getPrompt('simple-prompt')).rejects.toMatchObject(closed);
    await expect(
      client.readResource('demo://resource/static/document/architecture.md'),
    ).rejects.toMatchObject(closed);
    // Was: resolved with a per-target MCPMX_POOL_CLOSED.
    await expect(client.fanOut('echo', { message: 'x' })).rejects.toMatchObject(closed);
    await expect(client.refresh()).rejects.toMatchObject(closed);
    // Was: resolved with 0 tools.
    await expect(client.start()).rejects.toMatchObject(closed);
    expect(client.snapshot().state).toBe('closed');
    await client.close(); // idempotent
  });

  it('a missing prompt or resource says so, with its own code (was: "Unknown tool", MCPMX_UNKNOWN_TOOL)', async () => {
    const client = createMultiServerClient({ endpoints: [everything()], pool: testPool });
    try {
      await client.start();
      await expect(client.getPrompt('simple-promt')).rejects.toMatchObject({
        code: 'MCPMX_UNKNOWN_PROMPT',
        message: expect.stringMatching(
          /^Unknown prompt "simple-promt"\. Did you mean "simple-prompt"/,
        ),
      });
      await expect(client.readResource('nowhere://x')).rejects.toMatchObject({
        code: 'MCPMX_UNKNOWN_RESOURCE',
        message: 'No server offers the resource "nowhere://x".',
      });
      await expect(client.callTool('get-summ')).rejects.toMatchObject({
        code: 'MCPMX_UNKNOWN_TOOL',
      });
    } finally {
      await client.close();
    }
  });
});
