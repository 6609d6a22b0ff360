import { descendantPids } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';
import type { LogContext, LoggingMessageNotificationParams } from '../src/index.js';
import { clientsClosedAfterEach, everything, testPool } from './helpers.js';

type Heard = { message: LoggingMessageNotificationParams; context: LogContext };

/** Resolves with the first log message that matches, as it arrives (no sleeping). */
function logWaiter() {
  const heard: Heard[] = [];
  const waiting: { match: (entry: Heard) => boolean; resolve: (entry: Heard) => void }[] = [];
  return {
    heard,
    onLog: (message: LoggingMessageNotificationParams, context: LogContext) => {
      const entry = { message, context };
      heard.push(entry);
      for (const waiter of [...waiting]) {
        if (waiter.match(entry)) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve(entry);
        }
      }
    },
    next: (match: (entry: Heard) => boolean) =>
      new Promise<Heard>((resolve) => {
        const found = heard.find(match);
        if (found) resolve(found);
        else waiting.push({ match, resolve });
      }),
  };
}

const isSubscribeLog = (entry: Heard) =>
  String(entry.message.data).includes('Received Subscribe Resource request');

describe('log messages and resource subscriptions from server-everything (stdio)', () => {
  const makeClient = clientsClosedAfterEach();

  it('onLog hears toggle-simulated-logging, tagged with the server and replica', async () => {
    const logs = logWaiter();
    const client = makeClient({ endpoints: [everything()], pool: testPool, onLog: logs.onLog });
    await client.start();
    const first = logs.next((entry) =>
      /level message|-level message/i.test(String(entry.message.data)),
    );
    await client.callTool('toggle-simulated-logging', {});
    const entry = await first;
    expect(entry.context).toMatchObject({ server: 'everything', replica: 'everything#0' });
    expect(typeof entry.message.level).toBe('string');
    await client.callTool('toggle-simulated-logging', {}); // off again
  });

  it('setLogLevel filters on the server, and is re-applied after a reconnect', async () => {
    const known = new Set(descendantPids());
    const logs = logWaiter();
    const client = makeClient({ endpoints: [everything()], pool: testPool, onLog: logs.onLog });
    await client.start();
    const [resource] = client.listResources();
    if (!resource) throw new Error('server-everything lists no resource');
    // At the default level, subscribing is logged at "info" (before the answer, on stdio).
    const unsubscribe = await client.subscribeResource(resource.uri, () => undefined);
    await logs.next(isSubscribeLog);
    await unsubscribe();
    await client.setLogLevel('error');
    const before = logs.heard.filter(isSubscribeLog).length;
    const again = await client.subscribeResource(resource.uri, () => undefined);
    // The info message would have arrived before the answer: the level filtered it.
    expect(logs.heard.filter(isSubscribeLog).length).toBe(before);
    await again();
    // A new process (kill -9, reconnect) gets the remembered level on its new session.
    const [pid] = descendantPids().filter((candidate) => !known.has(candidate));
    if (pid === undefined) throw new Error('no server-everything process found');
    const back = new Promise<void>((resolve) => {
      const stop = client.on('replica-status', (change) => {
        if (change.to === 'up' && change.from !== 'up') {
          stop();
          resolve();
        }
      });
    });
    process.kill(pid, 'SIGKILL');
    await back;
    await client.callTool('get-sum', { a: 1, b: 2 }); // the level was sent before this call
    const third = await client.subscribeResource(resource.uri, () => undefined);
    expect(logs.heard.filter(isSubscribeLog).length).toBe(before);
    await third();
    await expect(client.setLogLevel('loud' as never)).rejects.toMatchObject({
      code: 'MCPMX_INVALID_OPTION',
      message: expect.stringMatching(/^level must be one of debug, info/),
    });
    await expect(client.setLogLevel('info', 'nope')).rejects.toMatchObject({
      code: 'MCPMX_UNKNOWN_SERVER',
    });
  });

  it('subscribeResource: updates reach the listener, survive a kill -9 and reconnect, stop on unsubscribe', async () => {
    const known = new Set(descendantPids());
    const client = makeClient({ endpoints: [everything()], pool: testPool });
    await client.start();
    const [resource] = client.listResources();
    if (!resource) throw new Error('server-everything lists no resource');
    const updates: { uri: string; server: string }[] = [];
    let wake: () => void = () => undefined;
    const nextUpdate = () =>
      new Promise<void>((resolve) => {
        wake = resolve;
      });
    let update = nextUpdate();
    const unsubscribe = await client.subscribeResource(resource.uri, (event) => {
      updates.push(event);
      wake();
    });
    await client.callTool('toggle-subscriber-updates', {});
    await update;
    expect(updates[0]).toEqual({ uri: resource.uri, server: 'everything' });

    // kill -9 the server process: the pool reconnects and subscribes again on the new session.
    const [pid] = descendantPids().filter((candidate) => !known.has(candidate));
    if (pid === undefined) throw new Error('no server-everything process found');
    const back = new Promise<void>((resolve) => {
      const stop = client.on('replica-status', (change) => {
        if (change.to === 'up' && change.from !== 'up') {
          stop();
          resolve();
        }
      });
    });
    process.kill(pid, 'SIGKILL');
    await back;
    update = nextUpdate();
    const count = updates.length;
    // The new process starts with updates off: turning them on sends one at once.
    await client.callTool('toggle-subscriber-updates', {});
    await update;
    expect(updates.length).toBeGreaterThan(count);

    await unsubscribe();
    const after = updates.length;
    await client.callTool('toggle-subscriber-updates', {}); // off
    await client.callTool('toggle-subscriber-updates', {}); // on: would update at once
    await client.callTool('get-sum', { a: 1, b: 1 }); // after it, any update has arrived
    expect(updates.length).toBe(after);
    await client.callTool('toggle-subscriber-updates', {}); // off
  });

  it('subscribeResource of a URI no server offers: UnknownResourceError', async () => {
    const client = makeClient({ endpoints: [everything()], pool: testPool });
    await client.start();
    await expect(client.subscribeResource('demo://nowhere', () => undefined)).rejects.toMatchObject(
      { code: 'MCPMX_UNKNOWN_RESOURCE' },
    );
  });
});
