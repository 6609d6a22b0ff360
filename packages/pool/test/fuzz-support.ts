import { McpmxError, type SessionPool } from '@mcpmx/core';
import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * fast-check parameters: a fixed seed so CI is repeatable; FUZZ_SEED and FUZZ_RUNS search
 * further. fast-check prints the seed and the shrunk counterexample of a failure.
 */
export const fuzzParameters = (numRuns: number) => ({
  numRuns: Number(process.env.FUZZ_RUNS ?? numRuns),
  seed: Number(process.env.FUZZ_SEED ?? 7_2026),
});

/** Settles `pending` into a result or a typed error; anything else fails the test. */
export async function settle<T>(
  pending: Promise<T>,
): Promise<{ result: T } | { error: McpmxError }> {
  try {
    return { result: await pending };
  } catch (error) {
    if (!McpmxError.isInstance(error)) {
      throw new Error(`expected an McpmxError, got ${String(error)}`, { cause: error });
    }
    return { error };
  }
}

/** The pool still serves a plain call after whatever came before. */
export async function expectUsable(pool: SessionPool): Promise<void> {
  const result = await pool.callTool({ name: 'echo', arguments: { message: 'still here' } });
  expect(result.content).toEqual([{ type: 'text', text: 'Echo: still here' }]);
}

const json = fc.jsonValue({ maxDepth: 3 });
const methods = fc.oneof(
  fc.constantFrom(
    'notifications/tools/list_changed',
    'notifications/resources/list_changed',
    'notifications/progress',
    'notifications/cancelled',
    'notifications/message',
    'ping',
    'roots/list',
    'sampling/createMessage',
    'elicitation/create',
    'tools/call',
  ),
  fc.string(),
);
const ids = fc.oneof(fc.integer(), fc.string(), fc.constant(null), json);
const text = fc.string({ unit: 'binary', maxLength: 40 });

/**
 * One message as a server might send it, right or wrong. `ID` stands for the id of the
 * request being answered; the transport fixture fills it in.
 */
export const serverMessage = (ID: string) =>
  fc.oneof(
    // Answers to the call, with results of every shape.
    json.map((result) => `{"jsonrpc":"2.0","id":${ID},"result":${JSON.stringify(result)}}`),
    fc
      .record(
        {
          content: fc.array(
            fc.record({ type: fc.constantFrom('text', 'image', 'x'), text }, { requiredKeys: [] }),
          ),
        },
        { requiredKeys: [] },
      )
      .map((result) => `{"jsonrpc":"2.0","id":${ID},"result":${JSON.stringify(result)}}`),
    json.map((error) => `{"jsonrpc":"2.0","id":${ID},"error":${JSON.stringify(error)}}`),
    fc
      .record(
        { code: fc.integer(), message: text, data: json },
        { requiredKeys: ['code', 'message'] },
      )
      .map((error) => `{"jsonrpc":"2.0","id":${ID},"error":${JSON.stringify(error)}}`),
    // Answers to requests nobody sent, or with ids of the wrong type.
    fc.tuple(ids, json).map(([id, result]) => JSON.stringify({ jsonrpc: '2.0', id, result })),
    // Notifications and server-to-client requests, known and unknown.
    fc
      .tuple(methods, json)
      .map(([method, params]) => JSON.stringify({ jsonrpc: '2.0', method, params })),
    fc
      .tuple(ids, methods, json)
      .map(([id, method, params]) => JSON.stringify({ jsonrpc: '2.0', id, method, params })),
    // Not JSON-RPC at all.
    json.map((value) => JSON.stringify(value)),
    text,
    fc.constantFrom(
      '{',
      '[',
      '"',
      '{"jsonrpc":"2.0"',
      'null',
      '\u0000',
      '\ufeff{}',
      '{"jsonrpc":"1.0","id":1,"result":{}}',
    ),
    // Deep nesting inside an answer.
    fc
      .integer({ min: 100, max: 5_000 })
      .map(
        (depth) =>
          `{"jsonrpc":"2.0","id":${ID},"result":{"content":[],"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
      ),
  );

/** A text answer to the call, which must arrive intact however its bytes are split. */
export const textAnswer = (ID: string, value: string) =>
  `{"jsonrpc":"2.0","id":${ID},"result":{"content":[{"type":"text","text":${JSON.stringify(value)}}]}}`;
