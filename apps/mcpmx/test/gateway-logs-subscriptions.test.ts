import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from './gateway-process.js';
import { cliPath } from './run-cli.js';

const CONFIG = {
  mcpServers: {
    everything: { command: process.execPath, args: [referenceServers.everything, 'stdio'] },
  },
};

type Heard =
  | { kind: 'log'; level: string; logger?: string; data: string }
  | { kind: 'updated'; uri: string };

/** A downstream session that records, in order, the log messages and updates it is sent. */
async function session(url: string, name: string) {
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`));
  return { ...(await recorder(name, transport)), transport };
}

async function recorder(
  name: string,
  transport: StreamableHTTPClientTransport | StdioClientTransport,
) {
  const sdk = new Client({ name, version: '0.0.0' });
  const heard: Heard[] = [];
  const waiting: { match: (entry: Heard) => boolean; resolve: () => void }[] = [];
  const hear = (entry: Heard) => {
    heard.push(entry);
    for (const waiter of [...waiting]) {
      if (!waiter.match(entry)) continue;
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  sdk.setNotificationHandler('notifications/message', (notification) => {
    const { level, logger, data } = notification.params;
    hear({ kind: 'log', level, logger, data: String(data) });
  });
  sdk.setNotificationHandler('notifications/resources/updated', (notification) => {
    hear({ kind: 'updated', uri: notification.params.uri });
  });
  await sdk.connect(transport);
  return {
    sdk,
    heard,
    /** Resolves once a matching entry arrived (now or later). */
    next: (match: (entry: Heard) => boolean) =>
      new Promise<void>((resolve) => {
        if (heard.some(match)) resolve();
        else waiting.push({ match, resolve });
      }),
  };
}

/** server-everything's simulated messages: `Debug-level message`, ..., `Alert level-message`. */
const SIMULATED = /level[ -]message/;

const logOf = (text: string | RegExp) => (entry: Heard) =>
  entry.kind === 'log' &&
  (typeof text === 'string' ? entry.data.includes(text) : text.test(entry.data));
const updateOf = (uri: string) => (entry: Heard) => entry.kind === 'updated' && entry.uri === uri;

describe('logging and resource subscriptions through the gateway (serve --http)', () => {
  let gateway: GatewayProcess | undefined;
  const sdks: Client[] = [];
  afterEach(async () => {
    for (const sdk of sdks.splice(0)) await sdk.close().catch(() => undefined);
    await gateway?.close();
    gateway = undefined;
  });

  it('upstream log messages reach each session within its level, tagged with the server', {
    timeout: 60_000,
  }, async () => {
    gateway = await startGatewayProcess(CONFIG, []);
    const verbose = await session(gateway.url, 'verbose');
    const quiet = await session(gateway.url, 'quiet');
    sdks.push(verbose.sdk, quiet.sdk);
    await verbose.sdk.setLoggingLevel('debug');
    await quiet.sdk.setLoggingLevel('error');
    const [first, second, third] = (await verbose.sdk.listResources()).resources;
    if (!first || !second || !third) throw new Error('server-everything lists too few resources');

    // server-everything logs each subscribe at "info", outside any call: a broadcast.
    await verbose.sdk.subscribeResource({ uri: first.uri });
    await verbose.next(logOf(`for URI: ${first.uri}`));
    const entry = verbose.heard.find(logOf(`for URI: ${first.uri}`));
    expect(entry).toMatchObject({ kind: 'log', level: 'info', logger: 'everything' });

    // The quiet session (error) is not sent that info message; once it lowers its level it is
    // sent the next one, after anything sent before on the same stream.
    await quiet.sdk.subscribeResource({ uri: second.uri });
    await quiet.sdk.setLoggingLevel('info');
    await quiet.sdk.subscribeResource({ uri: third.uri });
    await quiet.next(logOf(`for URI: ${third.uri}`));
    const quietLogs = quiet.heard.filter((heard) => heard.kind === 'log');
    expect(quietLogs.map((heard) => heard.kind === 'log' && heard.data)).toEqual([
      expect.stringContaining(`for URI: ${third.uri}`),
    ]);
  });

  it("toggle-simulated-logging's messages reach the session, tagged with the server", {
    timeout: 60_000,
  }, async () => {
    gateway = await startGatewayProcess(CONFIG, []);
    const listener = await session(gateway.url, 'listener');
    sdks.push(listener.sdk);
    await listener.sdk.setLoggingLevel('debug');
    // The first message is sent during the call (so on its stream), the next ones every 5 s.
    await listener.sdk.callTool({ name: 'toggle-simulated-logging', arguments: {} });
    await listener.next(logOf(SIMULATED));
    const simulated = listener.heard.find(logOf(SIMULATED));
    expect(simulated).toMatchObject({ kind: 'log', logger: 'everything' });
    await listener.sdk.callTool({ name: 'toggle-simulated-logging', arguments: {} });
  });

  it('a resource update goes to the session that subscribed only; its end unsubscribes upstream', {
    timeout: 60_000,
  }, async () => {
    gateway = await startGatewayProcess(CONFIG, []);
    const a = await session(gateway.url, 'a');
    const b = await session(gateway.url, 'b');
    sdks.push(a.sdk, b.sdk);
    await a.sdk.setLoggingLevel('debug');
    await b.sdk.setLoggingLevel('debug');
    const [first, second] = (await a.sdk.listResources()).resources;
    if (!first || !second) throw new Error('server-everything lists too few resources');
    await a.sdk.subscribeResource({ uri: first.uri });
    await b.sdk.subscribeResource({ uri: second.uri });

    // Updates for both URIs, at once and every 5 s, on the gateway's one upstream session.
    await a.sdk.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    await Promise.all([a.next(updateOf(first.uri)), b.next(updateOf(second.uri))]);
    await a.sdk.callTool({ name: 'toggle-subscriber-updates', arguments: {} });

    // b's session ends: the gateway drops its subscription upstream, which server-everything
    // logs (to a, on the stream its updates travel: anything sent to a before is in by then).
    await b.transport.terminateSession();
    await a.next(logOf(`Unsubscribe Resource request: ${second.uri}`));
    expect(a.heard.filter((heard) => heard.kind === 'updated' && heard.uri === second.uri)).toEqual(
      [],
    );
    expect(b.heard.filter((heard) => heard.kind === 'updated' && heard.uri === first.uri)).toEqual(
      [],
    );

    // resources/unsubscribe passes through too.
    await a.sdk.unsubscribeResource({ uri: first.uri });
    await a.next(logOf(`Unsubscribe Resource request: ${first.uri}`));
  });

  it('over stdio (mcpmx serve): the one client gets its logs and its updates', {
    timeout: 60_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpmx-logs-'));
    const config = join(dir, 'mcp.json');
    await writeFile(config, JSON.stringify(CONFIG));
    const client = await recorder(
      'stdio',
      new StdioClientTransport({
        command: process.execPath,
        args: [cliPath, 'serve', '--config', config],
        stderr: 'pipe',
      }),
    );
    try {
      await client.sdk.setLoggingLevel('debug');
      const [first] = (await client.sdk.listResources()).resources;
      if (!first) throw new Error('server-everything lists no resource');
      await client.sdk.subscribeResource({ uri: first.uri });
      await client.next(logOf(`for URI: ${first.uri}`));
      expect(client.heard.find(logOf(`for URI: ${first.uri}`))).toMatchObject({
        level: 'info',
        logger: 'everything',
      });
      await client.sdk.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
      await client.next(updateOf(first.uri));
      await client.sdk.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    } finally {
      await client.sdk.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
