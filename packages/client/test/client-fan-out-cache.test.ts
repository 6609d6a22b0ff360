import { McpmxError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { clientsClosedAfterEach, faultReplica, testPool, text } from './helpers.js';

describe('MultiServerClient: fan-out and result cache, against real servers', () => {
  const make = clientsClosedAfterEach();

  it('fan-out with one server hanging returns within the per-server timeout', async () => {
    const client = make({
      endpoints: [
        faultReplica('alpha', 0),
        faultReplica('beta', 0),
        faultReplica('gamma', 0, { FAULT_LATENCY_MS: '20000' }),
      ],
      pool: testPool,
      retry: { retries: 0 },
    });
    await client.start();
    const started = performance.now();
    const outcome = await client.fanOut('echo', { message: 'all' }, { perServerTimeoutMs: 400 });
    const elapsed = performance.now() - started;
    expect(outcome.results.map((r) => [r.target, r.ok])).toEqual([
      ['alpha', true],
      ['beta', true],
      ['gamma', false],
    ]);
    const gamma = outcome.results.find((r) => r.target === 'gamma');
    expect(gamma && !gamma.ok && McpmxError.hasCode(gamma.error, 'MCPMX_TARGET_TIMEOUT')).toBe(
      true,
    );
    expect(outcome.values.map((value) => text(value))).toEqual(['Echo: all', 'Echo: all']);
    expect(elapsed).toBeLessThan(5000); // generous: it must not wait for gamma's 20 s
  });

  it('first-success returns the first answer and a tag group narrows the targets', async () => {
    const client = make({
      endpoints: [
        faultReplica('alpha', 0),
        faultReplica('beta', 0),
        // Tags from discovery sit on the replica, not in a server's config.
        { ...faultReplica('gamma', 0), tags: ['eu', 'gpu'] },
      ],
      servers: { beta: { tags: ['eu'] } },
      pool: testPool,
    });
    await client.start();
    const first = await client.fanOut('echo', { message: 'x' }, { strategy: 'first-success' });
    expect(first.values).toHaveLength(1);
    const tagged = await client.fanOut('echo', { message: 'y' }, { tag: 'eu' });
    expect(tagged.results.map((r) => r.target)).toEqual(['beta', 'gamma']);
    const gpu = await client.fanOut('echo', { message: 'z' }, { tag: 'gpu' });
    expect(gpu.results.map((r) => r.target)).toEqual(['gamma']);
  });

  it('caches read-only results when enabled: the second identical call does not reach the server', async () => {
    const client = make({
      endpoints: [faultReplica('fault', 0)],
      pool: testPool,
      cache: { enabled: true, ttlMs: 60_000 },
    });
    await client.start();
    const hits: boolean[] = [];
    client.on('cache', (event) => hits.push(event.hit));
    const [a, b] = await Promise.all([
      client.callTool('echo', { message: 'same' }),
      client.callTool('echo', { message: 'same' }),
    ]);
    const c = await client.callTool('echo', { message: 'same' });
    expect([text(a), text(b), text(c)]).toEqual(['Echo: same', 'Echo: same', 'Echo: same']);
    expect(hits).toEqual([false, false, true]); // two misses share one flight, then a hit
    const stats = await client.callTool('stats', {});
    expect(
      (stats.structuredContent as { executions: Record<string, number> }).executions.echo,
    ).toBe(1);
    // A non-read-only tool is never cached.
    await client.callTool('count', { key: 'k' });
    expect(text(await client.callTool('count', { key: 'k' }))).toBe('2');
  });

  it('keeps cache partitions apart: a partition never gets a result another one filled', async () => {
    const client = make({
      endpoints: [faultReplica('fault', 0)],
      pool: testPool,
      cache: { enabled: true, ttlMs: 60_000 },
    });
    await client.start();
    // `stats` is read-only too: each reading in a partition of its own, never a cached one.
    let readings = 0;
    const executions = async () =>
      (
        (await client.callTool('stats', {}, { cachePartition: `stats-${readings++}` }))
          .structuredContent as {
          executions: Record<string, number>;
        }
      ).executions.echo;
    const args = { message: 'same' };
    await client.callTool('echo', args, { cachePartition: 'alice' });
    await client.callTool('echo', args, { cachePartition: 'bob' });
    expect(await executions()).toBe(2);
    await client.callTool('echo', args, { cachePartition: 'alice' });
    await client.callTool('echo', args, { cachePartition: 'bob' });
    expect(await executions()).toBe(2); // each one's own hit
    await client.callTool('echo', args);
    expect(await executions()).toBe(3); // the unpartitioned call shares with neither
  });
});
