import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { testServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../src/http-gateway.js';
import { cliPath } from './run-cli.js';

const stats = async (sdk: Client) => {
  const result = await sdk.callTool({ name: 'stats', arguments: {} });
  return result.structuredContent as { cancellations: number };
};

/**
 * Progress comes back to the downstream caller, and a downstream cancellation reaches the
 * upstream server (its `slow` tool counts the cancellations it saw), through the gateway.
 */
async function checkForwarding(
  sdk: Client,
  /** Resolves when the gateway's call was cancelled (where the cancellation is asynchronous). */
  upstreamCancelled: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  const progress: number[] = [];
  const result = await sdk.callTool(
    { name: 'slow', arguments: { ms: 400 } },
    { onprogress: (update) => progress.push(update.progress) },
  );
  expect((result.content as { text: string }[])[0]?.text).toBe('slept 400');
  // The SDK may deliver the last notification after the result; the first ones always arrive.
  expect(progress.slice(0, 2)).toEqual([1, 2]);

  const before = (await stats(sdk)).cancellations;
  const reached = upstreamCancelled();
  const aborter = new AbortController();
  const cancelled = sdk.callTool(
    { name: 'slow', arguments: { ms: 10_000 } },
    { signal: aborter.signal, onprogress: () => aborter.abort('changed my mind') },
  );
  await expect(cancelled).rejects.toThrow();
  await reached;
  // The cancellation travels ahead of these calls on the same upstream session. The server
  // counts it a microtask after handling it, so the first `stats` may be read in the same
  // turn; a second round trip is certainly after it.
  await stats(sdk);
  expect((await stats(sdk)).cancellations).toBe(before + 1);
}

describe('the gateway forwards progress and cancellation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-forwarding-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('over stdio (mcpmx serve, the built bin)', { timeout: 60_000 }, async () => {
    const config = join(dir, 'mcp.json');
    const fault = { command: process.execPath, args: [testServers.fault] };
    await writeFile(config, JSON.stringify({ mcpServers: { fault } }));
    const sdk = new Client({ name: 'forwarding-test', version: '0.0.0' });
    await sdk.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cliPath, 'serve', '--config', config],
        stderr: 'pipe',
      }),
    );
    try {
      await checkForwarding(sdk);
    } finally {
      await sdk.close();
    }
  });

  describe('over Streamable HTTP', () => {
    let client: MultiServerClient | undefined;
    let gateway: HttpGateway | undefined;
    afterEach(async () => {
      await gateway?.close();
      await client?.close();
    });

    it('to a 2026-07-28 client', { timeout: 60_000 }, async () => {
      client = createMultiServerClient({
        endpoints: [
          {
            id: 'fault#0',
            server: 'fault',
            transport: { type: 'stdio', command: process.execPath, args: [testServers.fault] },
          },
        ],
        pool: { healthCheckIntervalMs: 0 },
      });
      await client.start();
      gateway = await startHttpGateway({ client });
      const sdk = new Client(
        { name: 'forwarding-test', version: '0.0.0' },
        { capabilities: {}, versionNegotiation: { mode: 'auto' } },
      );
      await sdk.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
      const gatewayClient = client;
      try {
        // Over HTTP the client cancels by closing the request's stream; the gateway notices
        // that asynchronously, so wait for its call to end as cancelled.
        await checkForwarding(
          sdk,
          () =>
            new Promise<void>((resolve) => {
              const stop = gatewayClient.on('request-end', (event) => {
                if (event.outcome !== 'cancelled') return;
                stop();
                resolve();
              });
            }),
        );
      } finally {
        await sdk.close();
      }
    });
  });
});
