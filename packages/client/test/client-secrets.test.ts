import { McpmxError } from '@mcpmx/core';
import { testServers } from '@mcpmx/tooling-test-servers';
import { describe, expect, it } from 'vitest';
import { clientsClosedAfterEach, testPool } from './helpers.js';

const SECRET = 'client-s3cr3t-90ab17';

describe('secrets from the config, on every surface of the client', () => {
  const createClient = clientsClosedAfterEach();

  it('never leave it: errors, events, snapshot, telemetry, even when a server prints them and dies', async () => {
    const leaky = (extra: Record<string, string> = {}) => ({
      command: process.execPath,
      args: [testServers.leaky, '--token=${SECRET}'],
      env: { API_KEY: '${SECRET}', ...extra },
    });
    const client = createClient({
      config: {
        mcpServers: {
          leak: leaky(),
          dead: leaky({ LEAKY_EXIT: '1' }),
          // fetch refuses userinfo with an error quoting the whole URL.
          remote: { url: 'http://user:${SECRET}@127.0.0.1:9/${SECRET}/mcp?key=${SECRET}' },
        },
      },
      env: { SECRET },
      pool: testPool,
      retry: { retries: 0 },
    });
    const seen: string[] = [];
    const show = (value: unknown) =>
      seen.push(
        value instanceof Error
          ? `${value.message}\n${value.stack}\n${String((value as { cause?: unknown }).cause)}`
          : JSON.stringify(value),
      );
    client.on('error', ({ error }) => show(error));
    client.on('replica-status', show);
    client.on('request-end', ({ error }) => error !== undefined && show(error));
    await client.start();
    show(client.snapshot());

    const failed = await client.callTool('leak', {}).catch((error: unknown) => error);
    expect(McpmxError.isInstance(failed)).toBe(true);
    show(failed);
    expect((failed as Error).message).toContain('leaky-server: argv'); // stderr is quoted
    const again = await client.callTool('leak', {}).catch((error: unknown) => error);
    show(again);
    show(client.snapshot());
    show(client.telemetry());
    show(client.redact(`a log line with ${SECRET} and http://u:${SECRET}@h/p?q=1`));

    expect(seen.join('\n')).toContain('dead#0');
    for (const output of seen) {
      expect(output).not.toContain(SECRET);
      expect(output).not.toContain('user:');
    }
  });
});
