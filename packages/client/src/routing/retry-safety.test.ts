import {
  AcquireTimeoutError,
  AuthError,
  CancelledError,
  ConcurrencyLimitError,
  ConnectError,
  EndpointNotFoundError,
  InvalidRequestError,
  RemoteError,
  RequestTimeoutError,
  SessionClosedError,
  TransportError,
} from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { mayRetry } from './retry-safety.js';

describe('mayRetry', () => {
  const died = new SessionClosedError('socket closed', { reachedServer: true });
  const timeout = new RequestTimeoutError('slow', { timeoutMs: 10 });

  it('never repeats a call that may have run on a tool that is not idempotent', () => {
    expect(mayRetry(died, {})).toBe(false);
    expect(mayRetry(timeout, { annotations: { destructiveHint: true } })).toBe(false);
  });

  it('repeats read-only, idempotent and configured-idempotent tools', () => {
    expect(mayRetry(died, { annotations: { readOnlyHint: true } })).toBe(true);
    expect(mayRetry(timeout, { annotations: { idempotentHint: true } })).toBe(true);
    expect(mayRetry(died, { configuredIdempotent: true })).toBe(true);
  });

  it('repeats any tool when the request provably never reached a server', () => {
    expect(mayRetry(new ConnectError('refused'), {})).toBe(true);
    // Another replica may hold the right credentials or path: the call never left.
    expect(mayRetry(new AuthError('HTTP 403 from /mcp', { status: 403 }), {})).toBe(true);
    expect(mayRetry(new EndpointNotFoundError('HTTP 404 from /x', { status: 404 }), {})).toBe(true);
    expect(mayRetry(new AcquireTimeoutError('none', { timeoutMs: 5 }), {})).toBe(true);
    expect(mayRetry(new SessionClosedError('before write', { reachedServer: false }), {})).toBe(
      true,
    );
    expect(mayRetry(new TransportError('connect timeout', { reachedServer: false }), {})).toBe(
      true,
    );
    expect(mayRetry(new ConcurrencyLimitError('queue full', { reason: 'queue-full' }), {})).toBe(
      true,
    );
    expect(mayRetry(new TransportError('reset after write'), {})).toBe(false);
  });

  it('never repeats a cancel or a caller error, even on a read-only tool', () => {
    const readOnly = { annotations: { readOnlyHint: true } };
    expect(mayRetry(new CancelledError('aborted'), readOnly)).toBe(false);
    expect(mayRetry(new InvalidRequestError('BigInt'), readOnly)).toBe(false);
    expect(mayRetry(new RemoteError('bad params', { rpcCode: -32602 }), readOnly)).toBe(false);
    expect(mayRetry(new RemoteError('internal', { rpcCode: -32603 }), readOnly)).toBe(true);
    expect(mayRetry(new Error('plain'), {})).toBe(false);
  });
});
