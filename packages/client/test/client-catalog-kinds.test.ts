import { describe, expect, it } from 'vitest';
import type { MultiServerClient } from '../src/index.js';
import { clientsClosedAfterEach, faultReplica, testPool, text } from './helpers.js';

const resourcesListed = (client: MultiServerClient) =>
  new Promise<void>((resolve) => {
    const stop = client.on('catalog-changed', () => {
      if (client.listResources().length > 0) {
        stop();
        resolve();
      }
    });
  });

describe('MultiServerClient: each kind of list stands on its own (bug: one failing list dropped the server)', () => {
  const make = clientsClosedAfterEach();

  it('a server whose resources/list fails still serves its tools; the failed list is reported and fetched again', async () => {
    const client = make({
      endpoints: [faultReplica('db', 0, { FAULT_RESOURCES: '1', FAULT_RESOURCES_BROKEN: '1' })],
      pool: testPool,
    });
    const errors: string[] = [];
    client.on('error', ({ error, server }) => errors.push(`${server}: ${error.message}`));
    await client.start();

    expect(client.listTools().map((tool) => tool.name)).toContain('echo');
    expect(text(await client.callTool('echo', { message: 'still here' }))).toBe('Echo: still here');
    expect(client.listResources()).toEqual([]);
    const lists = client.snapshot().servers[0]?.lists;
    expect(lists?.tools).toMatchObject({ status: 'ok' });
    expect(lists?.resources).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('the item database is down'),
    });
    expect(lists?.prompts).toMatchObject({ status: 'unsupported' });
    expect(errors.join('\n')).toContain('db: ');

    // The database comes back: the failed list is fetched again (with backoff) and joins.
    const listed = resourcesListed(client);
    await client.callTool('break-resources', { broken: false });
    await listed;
    expect(client.listResources().map((resource) => resource.uri)).toEqual(['fault://item/1']);
    expect(client.snapshot().servers[0]?.lists.resources).toMatchObject({ status: 'ok', items: 1 });

    // It fails again: the last good list keeps serving, and refresh() says what failed.
    await client.callTool('break-resources', { broken: true });
    await expect(client.refresh('db')).rejects.toThrow('the item database is down');
    expect(client.listResources().map((resource) => resource.uri)).toEqual(['fault://item/1']);
    expect(client.listTools().length).toBeGreaterThan(0);
    expect(client.snapshot().servers[0]?.lists.resources.status).toBe('failed');
  });
});
