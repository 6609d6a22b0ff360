import { type ChildServer, startFaultHttpServer } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsClosedAfterEach, faultReplica, testPool, text } from './helpers.js';

/** Arguments that cannot be sent: each fails before anything reaches the server. */
function unsendable(): Record<string, Record<string, unknown>> {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  const getter = {};
  Object.defineProperty(getter, 'secret', {
    enumerable: true,
    get() {
      throw new Error('this getter throws');
    },
  });
  let deep: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < 10_000; i++) deep = { next: deep };
  return {
    bigint: { message: 10n as unknown as string },
    circular: { message: 'x', circular },
    getter: { message: 'x', getter },
    deep: { message: 'x', deep },
  };
}

describe("MultiServerClient: a caller's own bad arguments never count against a replica", () => {
  const make = clientsClosedAfterEach();
  let http: ChildServer;
  beforeAll(async () => {
    http = await startFaultHttpServer();
  });
  afterAll(async () => {
    await http.close();
  });

  for (const transport of ['stdio', 'streamable-http'] as const) {
    it(`${transport}: unsendable arguments fail once each, with InvalidRequestError, and the breaker stays closed`, async () => {
      const client = make({
        endpoints: [
          transport === 'stdio'
            ? faultReplica('fault', 0)
            : {
                id: 'fault#0',
                server: 'fault',
                transport: { type: 'streamable-http', url: http.url },
              },
        ],
        pool: testPool,
      });
      await client.start();
      let attempts = 0;
      client.on('request-start', (event) => {
        if (event.method === 'tools/call') attempts++;
      });
      const cases = unsendable();
      // Three rounds of every case: 12 failures, over twice what opens the default breaker (5).
      for (let round = 0; round < 3; round++) {
        for (const [name, args] of Object.entries(cases)) {
          await expect(client.callTool('echo', args), name).rejects.toMatchObject({
            code: 'MCPMX_INVALID_REQUEST',
          });
        }
      }
      expect(attempts).toBe(12); // never retried
      const replica = client.snapshot().servers[0]?.replicas[0];
      expect(replica?.breaker).toBe('closed');
      expect(replica?.status).toBe('up');
      expect(text(await client.callTool('echo', { message: 'fine' }))).toBe('Echo: fine');
    });
  }
});
