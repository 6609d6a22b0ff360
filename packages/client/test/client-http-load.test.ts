import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultHttpServer } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';
import { clientsClosedAfterEach, testPool } from './helpers.js';

const CALLS = 10_000;

describe('MultiServerClient under load on one Streamable HTTP replica', () => {
  const make = clientsClosedAfterEach();

  it(`${CALLS} concurrent non-idempotent calls: none lost, none misreported, none run twice`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpmx-load-'));
    const ledger = join(dir, 'ledger');
    const server = await startFaultHttpServer({ env: { FAULT_LEDGER: ledger } });
    try {
      const client = make({
        endpoints: [
          { id: 'web#0', server: 'web', transport: { type: 'streamable-http', url: server.url } },
        ],
        pool: testPool,
        timeoutMs: 120_000,
      });
      await client.start();
      const outcomes = await Promise.allSettled(
        Array.from({ length: CALLS }, (_, index) => client.callTool('count', { key: `k${index}` })),
      );
      const ran = (await readFile(ledger, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[0]);
      const failed = outcomes.flatMap((outcome, index) =>
        outcome.status === 'rejected' ? [{ key: `k${index}`, error: outcome.reason }] : [],
      );
      // Every call ran exactly once, and every call that ran was answered.
      expect(new Set(ran).size).toBe(ran.length);
      expect(failed.map((failure) => `${failure.key}: ${failure.error?.message}`)).toEqual([]);
      expect(ran.length).toBe(CALLS);
      const replica = client.snapshot().servers[0]?.replicas[0];
      expect(replica).toMatchObject({ status: 'up', breaker: 'closed', inFlight: 0, queued: 0 });
      expect(replica?.stats.successes).toBe(CALLS);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
