import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { ManualClock } from '@mcpmx/core';
import { referenceServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../src/http-gateway.js';
import { type AdvertisedUnion, createAdvertisedUnion } from '../src/relay/advertised-union.js';

const everything = {
  id: 'everything#0',
  server: 'everything',
  transport: {
    type: 'stdio' as const,
    command: process.execPath,
    args: [referenceServers.everything, 'stdio'],
  },
};
const SHRINK_AFTER_MS = 5000;

describe('over HTTP, upstreams are promised the union of what the open sessions declared', () => {
  let client: MultiServerClient | undefined;
  let gateway: HttpGateway | undefined;
  let union: AdvertisedUnion | undefined;
  const sdks: Client[] = [];
  afterEach(async () => {
    for (const sdk of sdks.splice(0)) await sdk.close().catch(() => undefined);
    union?.close();
    await gateway?.close();
    await client?.close();
    gateway = undefined;
    client = undefined;
  });

  /** The gateway on a real client of server-everything; each renewal's servers are recorded. */
  const start = async () => {
    const clock = new ManualClock();
    const renewals: Promise<string[]>[] = [];
    union = createAdvertisedUnion({
      readvertise: () => {
        const renewal = client?.readvertise() ?? Promise.resolve([]);
        renewals.push(renewal);
        return renewal;
      },
      clock,
      shrinkAfterMs: SHRINK_AFTER_MS,
    });
    const advertised = union;
    client = createMultiServerClient({
      endpoints: [everything],
      pool: { healthCheckIntervalMs: 0 },
      advertise: () => advertised.current(),
    });
    await client.start();
    gateway = await startHttpGateway({ client, dashboard: false, advertised });
    return { url: gateway.url, clock, renewals };
  };

  const connect = async (url: string, capabilities: Record<string, object> = {}) => {
    const sdk = new Client({ name: 'union-test', version: '0.0.0' }, { capabilities });
    if ('sampling' in capabilities) {
      sdk.setRequestHandler('sampling/createMessage', async () => ({
        model: 'm',
        role: 'assistant',
        content: { type: 'text', text: 'sampled' },
      }));
    }
    sdks.push(sdk);
    await sdk.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
    return sdk;
  };
  const names = async (sdk: Client) => (await sdk.listTools()).tools.map((tool) => tool.name);

  it('many sampling sessions opening at once cost one renewal; each one sees the sampling tool at once', {
    timeout: 60_000,
  }, async () => {
    const { url, renewals } = await start();
    const plain = await connect(url);
    expect(await names(plain)).not.toContain('trigger-sampling-request');
    expect(renewals).toHaveLength(0);
    const samplers = await Promise.all(
      Array.from({ length: 6 }, () => connect(url, { sampling: {} })),
    );
    for (const sdk of samplers) expect(await names(sdk)).toContain('trigger-sampling-request');
    // One renewal renewed the upstream; at most one more ran after it, and found nothing to do.
    const renewed = await Promise.all(renewals);
    expect(renewed.length).toBeLessThanOrEqual(2);
    expect(renewed.filter((servers) => servers.length > 0)).toEqual([['everything']]);
  });

  it('when the last sampling session ends, the upstream is renewed without sampling after shrinkAfterMs (on the clock)', {
    timeout: 60_000,
  }, async () => {
    const { url, clock, renewals } = await start();
    const first = await connect(url, { sampling: {} });
    const second = await connect(url, { sampling: {} });
    expect(await names(second)).toContain('trigger-sampling-request');
    expect(renewals).toHaveLength(1);
    await (first.transport as StreamableHTTPClientTransport).terminateSession();
    await (second.transport as StreamableHTTPClientTransport).terminateSession();
    await expect.poll(() => gateway?.sessions).toBe(0);
    clock.advance(SHRINK_AFTER_MS - 1);
    expect(renewals).toHaveLength(1);
    clock.advance(1);
    expect(renewals).toHaveLength(2);
    expect(await renewals[1]).toEqual(['everything']);
    expect(client?.listTools().map((tool) => tool.name)).not.toContain('trigger-sampling-request');
    const plain = await connect(url);
    expect(await names(plain)).not.toContain('trigger-sampling-request');
  });
});
