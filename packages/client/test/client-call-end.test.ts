import { inFlight } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';
import type { CallEndEvent } from '../src/index.js';
import { clientsClosedAfterEach, faultReplica, testPool } from './helpers.js';

describe('call-end: one event per call, after all its attempts (request-end is per attempt)', () => {
  const make = clientsClosedAfterEach();

  it('says success, tool-error, error or cancelled, per call', async () => {
    const client = make({ endpoints: [faultReplica('a', 0)], pool: testPool });
    await client.start();
    const ends: CallEndEvent[] = [];
    client.on('call-end', (event) => ends.push(event));
    await client.callTool('echo', { message: 'hi' });
    await client.callTool('fail', {});
    await expect(client.callTool('slow', { ms: 5000 }, { timeoutMs: 50 })).rejects.toThrow();
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      client.callTool('slow', { ms: 5000 }, { signal: aborted.signal }),
    ).rejects.toThrow();
    expect(ends.map((end) => [end.server, end.method, end.target, end.outcome])).toEqual([
      ['a', 'tools/call', 'echo', 'success'],
      ['a', 'tools/call', 'fail', 'tool-error'],
      ['a', 'tools/call', 'slow', 'error'],
      ['a', 'tools/call', 'slow', 'cancelled'],
    ]);
    for (const end of ends) expect(end.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('calls that failed over after a kill -9 end in success; their failed attempts were retried', async () => {
    const client = make({
      endpoints: [faultReplica('a', 0), faultReplica('a', 1)],
      pool: testPool,
    });
    await client.start();
    const ends: CallEndEvent[] = [];
    let failedAttempts = 0;
    let retries = 0;
    client.on('call-end', (event) => ends.push(event));
    client.on('request-end', (event) => {
      if (event.target === 'slow' && event.outcome !== 'success') failedAttempts++;
    });
    client.on('retry', () => retries++);
    const started = inFlight(client, 'slow', 6);
    const calls = Array.from({ length: 6 }, () => client.callTool('slow', { ms: 1500 }));
    const victim = await started;
    // The crash tool kills its own process (SIGKILL) mid-request; it is not idempotent, so it
    // fails as a call, while the read-only slow calls on that replica fail over.
    await expect(client.callTool('crash', {}, { replica: victim })).rejects.toThrow();
    await Promise.all(calls);
    const slow = ends.filter((end) => end.target === 'slow');
    expect(slow.map((end) => end.outcome)).toEqual(Array(6).fill('success'));
    expect(ends.find((end) => end.target === 'crash')?.outcome).toBe('error');
    expect(failedAttempts).toBeGreaterThan(0);
    expect(retries).toBeGreaterThanOrEqual(failedAttempts);
  });
});
