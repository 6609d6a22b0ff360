import { getEventListeners } from 'node:events';
import { type ChildServer, startEverythingHttp } from '@mcpmx/tooling-test-servers';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { text } from './helpers.js';

// The SDK's Streamable HTTP transport gives every request of a session the session's one
// AbortSignal, and fetch adds an abort listener to it per request that goes only when the
// request is garbage collected. At a few thousand requests that passed Node's limit of 1,500
// listeners, and every further request printed "MaxListenersExceededWarning: Possible
// EventTarget memory leak detected" (bounded-fetch.ts, ownSignal). The peer is server-everything
// over Streamable HTTP, which answers each POST with an SSE stream.

const CALLS = 2500;
const IN_FLIGHT = 32;

let server: ChildServer;
beforeAll(async () => {
  server = await startEverythingHttp('streamableHttp');
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

it(`${CALLS} calls on one HTTP session pile no abort listeners on one signal`, async () => {
  // The signals fetch is given, and the most abort listeners any one of them has had.
  const real = globalThis.fetch;
  const signals = new Set<AbortSignal>();
  let most = 0;
  vi.stubGlobal('fetch', async (url: string | URL, init?: RequestInit) => {
    const pending = real(url, init);
    if (init?.signal) {
      signals.add(init.signal);
      most = Math.max(most, getEventListeners(init.signal, 'abort').length);
    }
    return pending;
  });
  const pool = createSessionPool(
    { id: 'http#0', server: 'http', transport: { type: 'streamable-http', url: server.url } },
    { healthCheckIntervalMs: 0, maxSessions: 1 },
  );
  try {
    let next = 0;
    const worker = async () => {
      while (next < CALLS) {
        const message = `m${next++}`;
        const result = await pool.callTool({ name: 'echo', arguments: { message } });
        expect(text(result)).toBe(`Echo: ${message}`);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    expect(signals.size).toBeGreaterThan(0);
    // Node warns past 1,500; a request's own signal has fetch's one listener.
    expect(most).toBeLessThan(IN_FLIGHT);
  } finally {
    await pool.close();
  }
});
