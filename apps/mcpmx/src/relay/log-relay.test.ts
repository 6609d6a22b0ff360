import type { LoggingLevel, LoggingMessageNotificationParams } from '@mcpmx/client';
import { describe, expect, it } from 'vitest';
import { createLogRelay } from './log-relay.js';

const context = { server: 'files', replica: 'files#0' };

describe('createLogRelay', () => {
  it('sets the upstream level to the most verbose open session asked for, and back', async () => {
    const applied: LoggingLevel[] = [];
    const relay = createLogRelay({ applyLevel: async (level) => void applied.push(level) });
    const quiet = relay.join(() => undefined);
    const verbose = relay.join(() => undefined);
    await quiet.setLevel('error');
    await verbose.setLevel('debug');
    await quiet.setLevel('warning'); // debug stays the most verbose: nothing sent
    expect(applied).toEqual(['error', 'debug']);
    verbose.leave();
    await Promise.resolve();
    expect(applied).toEqual(['error', 'debug', 'warning']);
  });

  it("sends a message that belongs to no call to each session within its level, tagged; a call's own ones are not repeated", async () => {
    const relay = createLogRelay({ applyLevel: async () => undefined });
    const heard: Record<string, LoggingMessageNotificationParams[]> = { a: [], b: [] };
    const a = relay.join((message) => heard.a?.push(message));
    relay.join((message) => heard.b?.push(message));
    await a.setLevel('warning');
    relay.onLog({ level: 'info', data: 'started' }, context);
    relay.onLog({ level: 'error', logger: 'disk', data: 'full' }, context);
    relay.onLog(
      { level: 'error', data: 'in a call' },
      { ...context, call: { method: 'tools/call', name: 'write' } },
    );
    expect(heard.a).toEqual([{ level: 'error', logger: 'files/disk', data: 'full' }]);
    expect(heard.b).toEqual([
      { level: 'info', logger: 'files', data: 'started' },
      { level: 'error', logger: 'files/disk', data: 'full' },
    ]);
    expect(a.accepts('info')).toBe(false);
    expect(a.accepts('critical')).toBe(true);
  });

  it('a failed upstream level is tried again by the next change', async () => {
    let fail = true;
    const applied: LoggingLevel[] = [];
    const relay = createLogRelay({
      applyLevel: async (level) => {
        if (fail) throw new Error('upstream refused');
        applied.push(level);
      },
    });
    const sink = relay.join(() => undefined);
    await expect(sink.setLevel('info')).rejects.toThrow('upstream refused');
    fail = false;
    await sink.setLevel('info');
    expect(applied).toEqual(['info']);
  });
});
