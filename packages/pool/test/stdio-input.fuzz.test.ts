import { fileURLToPath } from 'node:url';
import { descendantPids } from '@mcpmx/tooling-test-servers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { expectUsable, fuzzParameters, serverMessage, settle, textAnswer } from './fuzz-support.js';
import { stdioEndpoint } from './helpers.js';

// What a stdio server writes is input like any other: every byte sequence must end the call in
// a result or a typed error, and leave the pool serving. A real child process writes the bytes.
const rawServer = fileURLToPath(new URL('./fixtures/raw-stdio-server.mjs', import.meta.url));
const poolOptions = {
  protocol: 'legacy' as const,
  healthCheckIntervalMs: 0,
  backoff: { initialMs: 1, maxMs: 20 },
  requestTimeoutMs: 2_000,
};
/** The fixture's tool that writes `data` raw, cut at `cuts`. */
const emit = (data: Buffer, cuts: number[], terminate = true) => ({
  name: 'emit',
  arguments: { data: data.toString('base64'), cuts, terminate },
});

describe('StdioTransport reading what a server writes, fuzzed', () => {
  const before = descendantPids();
  const pool = createSessionPool(stdioEndpoint(rawServer, [], {}, 'raw#0'), poolOptions);
  beforeAll(() => expectUsable(pool));
  afterAll(async () => {
    await pool.close();
    expect(descendantPids()).toEqual(before);
  });

  it('any mix of messages, garbage and bytes, cut anywhere: a result or a typed error', async () => {
    const output = fc.array(
      fc.oneof(
        { weight: 4, arbitrary: serverMessage('__ID__').map((line) => Buffer.from(`${line}\n`)) },
        {
          weight: 1,
          arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom('\n', '\r\n', '\n\n', ' \n').map((s) => Buffer.from(s)),
        },
      ),
      { maxLength: 6 },
    );
    await fc.assert(
      fc.asyncProperty(output, fc.array(fc.nat(), { maxLength: 4 }), async (pieces, offsets) => {
        const outcome = await settle(pool.callTool(emit(Buffer.concat(pieces), offsets)));
        // A call whose answer is on its way never times out: the fixture always ends it.
        if ('error' in outcome) expect(outcome.error.code).not.toBe('MCPMX_TIMEOUT');
        await expectUsable(pool);
      }),
      fuzzParameters(60),
    );
  });

  it('an answer split at any byte, inside UTF-8 characters too, arrives intact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        async (value, offsets) => {
          const bytes = Buffer.from(`${textAnswer('__ID__', value)}\n`);
          const result = await pool.callTool(emit(bytes, offsets, false));
          expect(result.content).toEqual([{ type: 'text', text: value }]);
        },
      ),
      fuzzParameters(40),
    );
  });

  it('regression: a character split across two reads was decoded as two U+FFFD', async () => {
    const bytes = Buffer.from(`${textAnswer('__ID__', 'é€😀')}\n`);
    const inside = bytes.indexOf(Buffer.from('€')) + 1;
    // Cut one byte into the three bytes of "€", counted from the end (the id changes lengths).
    const result = await pool.callTool(emit(bytes, [inside - bytes.length], false));
    expect(result.content).toEqual([{ type: 'text', text: 'é€😀' }]);
  });

  it('a partial line is completed by the next read, and a garbage line does not end the session', async () => {
    const answer = Buffer.from(`${textAnswer('__ID__', 'whole')}\n`);
    const garbage = Buffer.from('not json at all\n');
    const result = await pool.callTool(
      emit(Buffer.concat([garbage, answer]), [garbage.length, garbage.length + 10], false),
    );
    expect(result.content).toEqual([{ type: 'text', text: 'whole' }]);
    expect(pool.stats().sessions).toBe(1);
  });
});
