import { afterEach, describe, expect, it } from 'vitest';
import { type ConsulDouble, parseConsulWait, startConsulDouble } from '../src/index.js';

let double: ConsulDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

async function get(path: string): Promise<{ status: number; index: string | null; body: string }> {
  const res = await fetch(`${double?.url}${path}`);
  return { status: res.status, index: res.headers.get('x-consul-index'), body: await res.text() };
}

describe('consul double', () => {
  it('parses Consul wait durations', () => {
    expect(parseConsulWait('5s')).toBe(5000);
    expect(parseConsulWait('100ms')).toBe(100);
    expect(parseConsulWait('2m')).toBe(120_000);
    expect(parseConsulWait('10')).toBe(10_000);
    expect(parseConsulWait('soon')).toBeUndefined();
  });

  it('serves the health entry shape with passing and tag filters', async () => {
    double = await startConsulDouble({ jitter: false });
    double.setService('files', [
      { id: 'a', port: 1, tags: ['mcp', 'eu'], address: '10.0.0.1' },
      { id: 'b', port: 2, tags: ['mcp'], status: 'critical' },
      { id: 'c', port: 3, tags: ['other'] },
    ]);
    const all = JSON.parse((await get('/v1/health/service/files')).body);
    expect(all).toHaveLength(3);
    expect(all[0]).toMatchObject({
      Node: { Node: 'node-a', Address: '127.0.0.1' },
      Service: { ID: 'a', Service: 'files', Port: 1, Address: '10.0.0.1', Tags: ['mcp', 'eu'] },
      Checks: [{ Status: 'passing' }],
    });
    const passing = JSON.parse((await get('/v1/health/service/files?passing')).body);
    expect(passing.map((e: { Service: { ID: string } }) => e.Service.ID)).toEqual(['a', 'c']);
    const tagged = JSON.parse((await get('/v1/health/service/files?tag=mcp&tag=eu')).body);
    expect(tagged.map((e: { Service: { ID: string } }) => e.Service.ID)).toEqual(['a']);
    expect((await get('/v1/health/service/none')).body).toBe('[]');
    expect((await get('/v1/kv/x')).status).toBe(404);
    expect((await get('/v1/health/service/files?wait=xyz&index=1')).status).toBe(400);
  });

  it('blocks on the current index until a change, and times out with the same index', async () => {
    double = await startConsulDouble({ jitter: false });
    double.setService('files', [{ id: 'a', port: 1 }]);
    const index = double.currentIndex();
    const timedOut = await get(`/v1/health/service/files?index=${index}&wait=50ms`);
    expect(timedOut.index).toBe(String(index));
    const blocked = get(`/v1/health/service/files?index=${index}&wait=30s`);
    await expect.poll(() => double?.blockedCount()).toBe(1);
    double.setService('files', [
      { id: 'a', port: 1 },
      { id: 'b', port: 2 },
    ]);
    const woke = await blocked;
    expect(Number(woke.index)).toBeGreaterThan(index);
    expect(JSON.parse(woke.body)).toHaveLength(2);
    expect(double.blockedCount()).toBe(0);
  });

  it('keeps blocking when the index went backwards, then answers with the lower index', async () => {
    double = await startConsulDouble({ jitter: false });
    double.setService('files', [{ id: 'a', port: 1 }]);
    double.setIndex(100);
    double.setIndex(3);
    const started = Date.now();
    expect((await get('/v1/health/service/files?index=100&wait=80ms')).index).toBe('3');
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    const blocked = get('/v1/health/service/files?index=3&wait=30s');
    await expect.poll(() => double?.blockedCount()).toBe(1);
    double.setIndex(2); // still <= 3: keeps blocking
    expect(double.blockedCount()).toBe(1);
    double.setIndex(4);
    expect((await blocked).index).toBe('4');
    double.injectFault('http-500');
    double.injectFault('garbage-body');
    expect((await get('/v1/health/service/files')).status).toBe(500);
    expect((await get('/v1/health/service/files')).body).toBe('{not json');
    expect((await get('/v1/health/service/files')).status).toBe(200);
    expect(double.requests.length).toBeGreaterThanOrEqual(4);
  });

  it('stops and resumes listening on the same port, closing blocked requests', async () => {
    double = await startConsulDouble({ jitter: false });
    const port = double.port;
    const blocked = get(`/v1/health/service/files?index=${double.currentIndex()}&wait=30s`);
    await expect.poll(() => double?.blockedCount()).toBe(1);
    await double.stopListening();
    await expect(blocked).rejects.toThrow();
    await expect(get('/v1/health/service/files')).rejects.toThrow();
    await double.listen();
    expect(double.port).toBe(port);
    expect((await get('/v1/health/service/files')).status).toBe(200);
  });
});
