import { inFlight } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';
import type { Advertised } from '../src/index.js';
import { clientsClosedAfterEach, everything, testPool, text } from './helpers.js';

const SAMPLED = {
  model: 'test-model',
  role: 'assistant' as const,
  content: { type: 'text' as const, text: 'sampled by the caller' },
};

describe('readvertise(): a changed advertise reaches the servers, with calls in flight kept', () => {
  const makeClient = clientsClosedAfterEach();
  const names = (client: ReturnType<typeof makeClient>) =>
    client.listTools().map((tool) => tool.name);

  it("server-everything's sampling tool appears once sampling is advertised, is relayed, and leaves with it", async () => {
    let advertised: Advertised = {};
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      advertise: () => advertised,
    });
    await client.start();
    expect(names(client)).not.toContain('trigger-sampling-request');
    // Nothing changed: nothing is renewed.
    expect(await client.readvertise()).toEqual([]);

    // A call in flight on the old session completes across the renewal.
    const started = inFlight(client, 'trigger-long-running-operation', 1);
    const slow = client.callTool('trigger-long-running-operation', { duration: 1, steps: 2 });
    await started;
    advertised = { sampling: true };
    expect(await client.readvertise()).toEqual(['everything']);
    expect(text(await slow)).toMatch(/completed/i);
    expect(names(client)).toContain('trigger-sampling-request');
    const sampled = await client.callTool(
      'trigger-sampling-request',
      { prompt: 'hello' },
      { handlers: { onSampling: async () => SAMPLED } },
    );
    expect(JSON.stringify(sampled.content)).toContain('sampled by the caller');

    advertised = {};
    expect(await client.readvertise()).toEqual(['everything']);
    expect(names(client)).not.toContain('trigger-sampling-request');
  });

  it('a fixed advertise never changes: nothing is renewed; before start() and after close() it refuses', async () => {
    const client = makeClient({ endpoints: [everything()], pool: testPool, advertise: {} });
    await expect(client.readvertise()).rejects.toMatchObject({ code: 'MCPMX_NOT_STARTED' });
    await client.start();
    expect(await client.readvertise()).toEqual([]);
    await client.close();
    await expect(client.readvertise()).rejects.toMatchObject({ code: 'MCPMX_CLIENT_CLOSED' });
  });
});
