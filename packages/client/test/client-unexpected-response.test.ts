import type { TelemetryEvents } from '@mcpmx/core';
import { createMetrics } from '@mcpmx/metrics';
import { type ChildServer, startHostileHttpServer } from '@mcpmx/tooling-test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMultiServerClient, type MultiServerClient } from '../src/index.js';
import { testPool, text } from './helpers.js';

const answer = (id: string, message: string) =>
  `{"jsonrpc":"2.0","id":${id},"result":{"resultType":"complete","content":[{"type":"text","text":"${message}"}]}}`;

describe('a response for no pending request, from pool to telemetry to metrics', () => {
  let server: ChildServer;
  let client: MultiServerClient | undefined;
  beforeAll(async () => {
    server = await startHostileHttpServer();
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });
  afterAll(async () => {
    await server.close();
  });

  it('is dropped, the call gets its real answer, and it is an unexpected-response event and a counted metric', async () => {
    client = createMultiServerClient({
      endpoints: [
        {
          id: 'hostile#0',
          server: 'hostile',
          transport: { type: 'streamable-http', url: server.url },
        },
      ],
      pool: testPool,
    });
    const metrics = createMetrics({ events: client });
    const events: TelemetryEvents['unexpected-response'][] = [];
    client.on('unexpected-response', (event) => events.push(event));
    await client.start();
    const result = await client.callTool(
      'reply',
      { messages: [answer('4242', 'forged'), answer('__ID__', 'real')], as: 'sse' },
      { timeoutMs: 5000 },
    );
    expect(text(result)).toBe('real');
    expect(events).toEqual([
      { server: 'hostile', replica: 'hostile#0', id: 4242, at: expect.any(Number) },
    ]);
    expect(await metrics.metrics()).toMatch(
      /mcpmx_unexpected_responses_total\{server="hostile",replica="hostile#0"\} 1/,
    );
    metrics.close();
  });
});
