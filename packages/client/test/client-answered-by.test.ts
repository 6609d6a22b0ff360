import { describe, expect, it } from 'vitest';
import { ANSWERED_BY } from '../src/index.js';
import { clientsClosedAfterEach, faultReplica, testPool } from './helpers.js';

const pidOf = (result: { structuredContent?: unknown }) =>
  (result.structuredContent as { pid: number }).pid;

describe('a tool result names the server and replica that answered it, in _meta', () => {
  const make = clientsClosedAfterEach();

  it('under io.mcpmx/ keys, matching the replica that ran the call', async () => {
    const client = make({
      endpoints: [faultReplica('a', 0), faultReplica('a', 1)],
      pool: testPool,
    });
    await client.start();
    const pinned = new Map<string, number>();
    for (const replica of ['a#0', 'a#1']) {
      const result = await client.callTool('stats', {}, { replica });
      expect(result._meta?.[ANSWERED_BY.server]).toBe('a');
      expect(result._meta?.[ANSWERED_BY.replica]).toBe(replica);
      pinned.set(replica, pidOf(result));
    }
    expect(pinned.get('a#0')).not.toBe(pinned.get('a#1'));
    for (let index = 0; index < 8; index++) {
      const result = await client.callTool('stats', {});
      const replica = result._meta?.[ANSWERED_BY.replica] as string;
      expect(pidOf(result)).toBe(pinned.get(replica)); // the process that answered
    }
    expect(ANSWERED_BY).toEqual({ server: 'io.mcpmx/server', replica: 'io.mcpmx/replica' });
  });

  it('fanOut results carry them per server', async () => {
    const client = make({
      endpoints: [faultReplica('a', 0), faultReplica('b', 0)],
      pool: testPool,
    });
    await client.start();
    const { results } = await client.fanOut('echo', { message: 'hi' });
    const answered = results.map((entry) =>
      entry.ok ? [entry.target, entry.value._meta?.[ANSWERED_BY.replica]] : [entry.target],
    );
    expect(answered.sort()).toEqual([
      ['a', 'a#0'],
      ['b', 'b#0'],
    ]);
  });
});
