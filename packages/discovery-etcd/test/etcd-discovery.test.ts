import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DiscoveredSet } from '@mcpmx/core';
import { InvalidOptionError } from '@mcpmx/core';
import { nextEvent } from '@mcpmx/discovery-conformance';
import { requireSystemBinary } from '@mcpmx/tooling-test-daemons';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdDiscovery, register } from '../src/index.js';
import { EtcdFixture } from './etcd-fixture.js';

const etcd = requireSystemBinary('etcd', 'etcd-server');

function ports(set: DiscoveredSet): string[] {
  return set.endpoints.map((endpoint) =>
    endpoint.transport.type === 'stdio'
      ? endpoint.transport.command
      : new URL(endpoint.transport.url).port,
  );
}

function record(port: number): string {
  return JSON.stringify({ server: 'files', url: `http://127.0.0.1:${port}/mcp` });
}

describe('createEtcdDiscovery and register options', () => {
  it.each([
    [{ prefix: '', hosts: 'http://127.0.0.1:1' }, 'prefix must be a non-empty key prefix'],
    [{ prefix: '/p/' }, 'hosts must be etcd URLs (or pass client)'],
    [{ prefix: '/p/', hosts: 'http://x', retry: { initialMs: 0 } }, 'retry.initialMs'],
  ])('createEtcdDiscovery rejects %j', (options, message) => {
    expect(() => createEtcdDiscovery(options)).toThrow(InvalidOptionError);
    expect(() => createEtcdDiscovery(options)).toThrow(message);
  });

  it('register rejects a malformed record before touching etcd, naming the problem', async () => {
    const registering = register({
      hosts: 'http://127.0.0.1:1',
      prefix: '/p/',
      key: 'k',
      record: { server: 's', url: 'http://a/', weigth: 2 } as never,
    });
    await expect(registering).rejects.toThrow(InvalidOptionError);
    await expect(registering).rejects.toThrow(
      'record must be a valid endpoint record (weigth is not a known key (did you mean "weight"?)',
    );
  });

  it('register rejects a bad ttl before touching etcd', async () => {
    await expect(
      register({
        hosts: 'http://127.0.0.1:1',
        prefix: '/p/',
        key: 'k',
        record: { server: 's', url: 'http://a/' },
        ttlSeconds: 0.5,
      }),
    ).rejects.toThrow('ttlSeconds must be an integer >= 1 (got 0.5)');
  });
});

describe.skipIf(etcd.path === undefined)(
  `etcd discovery against etcd ${etcd.skipReason ?? ''}`,
  () => {
    let fixture: EtcdFixture;
    let admin: Etcd3;

    beforeAll(async () => {
      fixture = await EtcdFixture.create(etcd.path as string);
      await fixture.start();
      admin = new Etcd3({ hosts: fixture.url });
    });
    afterAll(async () => {
      admin?.close();
      await fixture?.close();
    });

    it('resumes after an etcd restart without losing or replaying changes', async () => {
      const prefix = '/resume/';
      await admin.put(`${prefix}a`).value(record(1001)).exec();
      const discovery = createEtcdDiscovery({
        hosts: fixture.url,
        prefix,
        retry: { initialMs: 50 },
      });
      await discovery.start();
      expect(ports(discovery.current() as DiscoveredSet)).toEqual(['1001']);

      const seen: string[][] = [];
      discovery.on('update', (set) => seen.push(ports(set)));
      const failed = nextEvent(discovery, 'error');
      await fixture.stop();
      await failed;
      await fixture.start();
      // Changes made right after the restart, possibly before the watch reconnects.
      await admin.put(`${prefix}b`).value(record(1002)).exec();
      await admin.delete().key(`${prefix}a`).exec();
      const final = nextEvent(discovery, 'update', (set) => ports(set).join() === '1003');
      await admin.put(`${prefix}b`).value(record(1003)).exec();
      await final;

      // Every state was seen in order, each at most once: nothing lost, nothing replayed.
      const states = [['1001', '1002'], ['1002'], ['1003']].map((state) => state.join());
      const observed = seen.map((state) => state.join());
      expect(observed.at(-1)).toBe('1003');
      let cursor = -1;
      for (const state of observed) {
        const index = states.indexOf(state);
        expect(index).toBeGreaterThan(cursor);
        cursor = index;
      }
      await discovery.stop();
    });

    it('register() announces with a lease; close() revokes it and the record is gone', async () => {
      const prefix = '/register/';
      const discovery = createEtcdDiscovery({ hosts: fixture.url, prefix });
      await discovery.start();
      expect(discovery.current()?.endpoints).toEqual([]);

      const added = nextEvent(discovery, 'update', (set) => set.endpoints.length === 1);
      const registration = await register({
        hosts: fixture.url,
        prefix,
        key: 'replica-1',
        record: { server: 'files', url: 'http://127.0.0.1:7001/mcp', tags: ['a'], weight: 3 },
        ttlSeconds: 5,
      });
      const set = await added;
      expect(set.endpoints[0]).toMatchObject({
        id: `etcd:${prefix}/${prefix}replica-1`,
        tags: ['a'],
        weight: 3,
      });
      const lease = await admin.get(`${prefix}replica-1`).exec();
      expect(lease.kvs[0]?.lease).toBe(await registration.leaseId());

      const removed = nextEvent(discovery, 'update', (next) => next.endpoints.length === 0);
      await registration.close();
      await registration.close(); // idempotent
      await removed;
      expect(await admin.get(`${prefix}replica-1`).string()).toBeNull();
      await discovery.stop();
    });

    it('a registration whose process dies expires after its TTL', async () => {
      const prefix = '/expiry/';
      const discovery = createEtcdDiscovery({ hosts: fixture.url, prefix });
      await discovery.start();
      const added = nextEvent(discovery, 'update', (set) => set.endpoints.length === 1);
      // A real process registers through the built package, then is SIGKILLed: no revoke.
      const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
      expect(existsSync(built), 'run `pnpm exec tsup` first: this test uses dist').toBe(true);
      const script = `import { register } from ${JSON.stringify(built)};
      await register({ hosts: ${JSON.stringify(fixture.url)}, prefix: '/expiry/', key: 'crashy',
        record: { server: 'files', url: 'http://127.0.0.1:7002/mcp' }, ttlSeconds: 2 });
      process.stdout.write('registered\\n');`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      try {
        const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
        expect(chunk.toString()).toContain('registered');
        await added;
        const expired = nextEvent(discovery, 'update', (set) => set.endpoints.length === 0, 15_000);
        const killedAt = Date.now();
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
        await expired;
        // Gone because the lease ran out, not at once.
        expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1_000);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await discovery.stop();
      }
    });

    it('works with a client the caller owns, and leaves it open on stop()', async () => {
      const prefix = '/owned/';
      await admin.put(`${prefix}x`).value(record(1100)).exec();
      const discovery = createEtcdDiscovery({ client: admin, prefix, server: 'files' });
      await discovery.start();
      expect(ports(discovery.current() as DiscoveredSet)).toEqual(['1100']);
      await discovery.stop();
      await discovery.stop();
      expect(await admin.get(`${prefix}x`).string()).toBe(record(1100));
    });
  },
);
