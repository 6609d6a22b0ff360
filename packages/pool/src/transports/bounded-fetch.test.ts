import { MessageTooLargeError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { createBoundedFetch } from './bounded-fetch.js';

// The bound as a transform of what a server sends: the answer is built here as chunks, cut where
// a network could cut it, and read back through the bounded fetch. (What a real server and the
// SDK make of it is tested in test/hostile-upstream.test.ts.)

const encoder = new TextEncoder();
const answerWith = (chunks: string[], type: string) => async () =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    }),
    { headers: { 'content-type': type } },
  );
const post = {
  method: 'POST',
  body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call' }),
};

describe('createBoundedFetch', () => {
  it('passes SSE events through unchanged, whatever the line endings and wherever the chunks are cut', async () => {
    const events = 'data: a\n\ndata: b\r\n\r\nevent: message\rdata: c\r\rdata: d\n\n';
    for (let cut = 0; cut <= events.length; cut++) {
      const bounded = createBoundedFetch({
        maxMessageBytes: 1024,
        base: answerWith([events.slice(0, cut), events.slice(cut)], 'text/event-stream'),
      });
      expect(await (await bounded('http://x', post)).text()).toBe(events);
    }
  });

  it('counts bytes per event: many events, each under the limit, pass; one over it becomes an error answer to the request', async () => {
    const small = `data: ${'x'.repeat(50)}\n\n`;
    const bounded = createBoundedFetch({
      maxMessageBytes: 100,
      base: answerWith(
        [small.repeat(20), `data: ${'y'.repeat(200)}\n\n`, small],
        'text/event-stream',
      ),
    });
    const text = await (await bounded('http://x', post)).text();
    expect(text.startsWith(small.repeat(20))).toBe(true);
    const last = JSON.parse(text.slice(small.length * 20).replace(/^event: message\ndata: /, ''));
    expect(last).toMatchObject({ id: 7, error: { data: { limit: 100 } } });
    expect(text).not.toContain('yyyy');
  });

  it('on a stream that answers no request, an event over the limit fails the stream', async () => {
    const bounded = createBoundedFetch({
      maxMessageBytes: 100,
      base: answerWith([`data: ${'y'.repeat(200)}`], 'text/event-stream'),
    });
    await expect((await bounded('http://x', { method: 'GET' })).text()).rejects.toBeInstanceOf(
      MessageTooLargeError,
    );
  });

  it('a plain body is bounded as a whole: at the limit it passes, one byte over it fails naming both', async () => {
    const fits = createBoundedFetch({
      maxMessageBytes: 1024,
      base: answerWith(['a'.repeat(1000), 'b'.repeat(24)], 'application/json'),
    });
    expect(await (await fits('http://x', post)).text()).toHaveLength(1024);
    const over = createBoundedFetch({
      maxMessageBytes: 1024,
      base: answerWith(['a'.repeat(1000), 'b'.repeat(25)], 'application/json'),
    });
    const error = await (await over('http://x', post)).text().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect(error).toMatchObject({ limit: 1024, size: 1025 });
  });
});

describe('the request id behind a plain answer', () => {
  const idOf = async (body: string): Promise<unknown[]> => {
    const ids: unknown[] = [];
    const bounded = createBoundedFetch({
      maxMessageBytes: 1024,
      base: answerWith(['{}'], 'application/json'),
      onPlainAnswer: (id) => ids.push(id),
    });
    await (await bounded('http://x', { method: 'POST', body })).text();
    return ids;
  };

  it('reads it from the end of a request as the SDK writes it, however long the request', async () => {
    const big = 'x'.repeat(1_000_000);
    const sdkOrder = (id: unknown) =>
      JSON.stringify({ method: 'tools/call', params: { name: big }, jsonrpc: '2.0', id });
    expect(await idOf(sdkOrder(7))).toEqual([7]);
    expect(await idOf(sdkOrder('a"b\\c'))).toEqual(['a"b\\c']);
    expect(await idOf(sdkOrder(-3))).toEqual([-3]);
  });

  it('parses anything else: another key order, a batch; a response or a notification is no request', async () => {
    expect(await idOf(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'ping' }))).toEqual([4]);
    expect(
      await idOf(
        JSON.stringify([
          { jsonrpc: '2.0', method: 'n' },
          { method: 'ping', id: 5 },
        ]),
      ),
    ).toEqual([5]);
    // The SDK writes its answers to a server's requests as {result, jsonrpc, id}.
    expect(await idOf(JSON.stringify({ result: {}, jsonrpc: '2.0', id: 3 }))).toEqual([]);
    expect(await idOf(JSON.stringify({ method: 'n', params: { id: 9 }, jsonrpc: '2.0' }))).toEqual(
      [],
    );
    expect(await idOf('{"method":"x","id":1')).toEqual([]);
  });
});
