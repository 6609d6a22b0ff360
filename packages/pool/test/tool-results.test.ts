import { fileURLToPath } from 'node:url';
import { McpmxError, type SessionPool } from '@mcpmx/core';
import { descendantPids } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { stdioEndpoint } from './helpers.js';

// A session sends a call to a tool it listed without an output schema through the SDK's
// `request()` with an explicit result schema, and anything else through the SDK's `callTool`
// (packages/pool/src/tool-calls.ts). The two must not differ in anything but cost: the same
// answers give the same results and the same errors, and a tool's output schema is still
// enforced. The peer is the hand-written JSON-RPC server, which can answer anything at all.

const rawServer = fileURLToPath(new URL('./fixtures/raw-stdio-server.mjs', import.meta.url));

/** An answer to the pending call with `result` as its (raw JSON) result. */
const answerWith = (result: string) => `{"jsonrpc":"2.0","id":__ID__,"result":${result}}`;

const RESULTS = {
  'a text result': '{"content":[{"type":"text","text":"hi"}]}',
  'an error result with extra keys':
    '{"content":[{"type":"text","text":"no"}],"isError":true,"x":1}',
  'no content at all': '{}',
  'structured content and no content': '{"structuredContent":{"a":1}}',
  'a resultType marker (2026-07-28 style)': '{"resultType":"complete","content":[]}',
  'content that is not an array': '{"content":"hi"}',
  'a content block of no known type': '{"content":[{"type":"weird"}]}',
  'a task body with no content': '{"task":{"taskId":"t1","status":"working"}}',
  'input requests with no content': '{"inputRequests":{"a":{"method":"roots/list"}}}',
} as const;
// (A result that is not an object is no JSON-RPC response at all: hostile-upstream.test.ts.)

type Outcome = { value: unknown } | { error: { name: string; code: string; message: string } };

async function outcome(pool: SessionPool, result: string): Promise<Outcome> {
  try {
    const value = await pool.callTool({
      name: 'emit',
      arguments: { data: Buffer.from(`${answerWith(result)}\n`).toString('base64') },
    });
    return { value };
  } catch (error) {
    if (!McpmxError.isInstance(error)) throw error;
    return { error: { name: error.name, code: error.code, message: error.message } };
  }
}

describe('a listed tool without an output schema is called the cheap way, with the same outcomes', () => {
  const before = descendantPids();
  let unlisted: SessionPool;
  let listed: SessionPool;
  beforeAll(async () => {
    const open = (id: string) =>
      createSessionPool(stdioEndpoint(rawServer, [], {}, id), {
        healthCheckIntervalMs: 0,
        protocol: 'legacy',
      });
    unlisted = open('raw#0');
    listed = open('raw#1');
    // Only this pool's session has listed its tools; the other one takes the SDK's callTool.
    const { tools } = await listed.listTools();
    expect(tools.map((tool) => tool.name)).toContain('emit');
  });
  afterAll(async () => {
    await Promise.all([unlisted.close(), listed.close()]);
    expect(descendantPids().filter((pid) => !before.includes(pid))).toEqual([]);
  });

  for (const [label, result] of Object.entries(RESULTS)) {
    it(`${label}: the same result, or the same error, either way`, async () => {
      const slow = await outcome(unlisted, result);
      const fast = await outcome(listed, result);
      if ('value' in slow) {
        expect(fast).toEqual(slow);
        return;
      }
      // The SDK formats its schema's issues as JSON; the cheap way lists them as text.
      const { name, code } = slow.error;
      expect(fast).toMatchObject({ error: { name, code } });
      const head = (o: Outcome) =>
        'error' in o
          ? o.error.message
              .replace(/raw#\d/g, 'raw')
              .split(': ')
              .slice(0, 2)
          : [];
      expect(head(fast)).toEqual(head(slow));
    });
  }

  it('a malformed result is a typed error that names the method and the problem', async () => {
    const fast = await outcome(listed, RESULTS['content that is not an array']);
    // Listed as text (the SDK's callTool prints its issues as JSON): the cheap way was taken.
    expect(fast).toMatchObject({
      error: {
        code: 'MCPMX_PROTOCOL_ERROR',
        message:
          'tools/call on raw (raw#1) failed: Invalid result for tools/call: content: Invalid input: expected array, received string',
      },
    });
  });

  it('a listed tool with an output schema still has its structured content checked against it', async () => {
    const good = await listed.callTool({ name: 'typed', arguments: { structured: { n: 1 } } });
    expect(good.structuredContent).toEqual({ n: 1 });
    const bad = listed.callTool({ name: 'typed', arguments: { structured: { n: 'one' } } });
    await expect(bad).rejects.toThrow(/output schema/i);
  });
});
