import {
  AcquireTimeoutError,
  AuthError,
  CancelledError,
  ConnectError,
  EndpointNotFoundError,
  InvalidRequestError,
  RemoteError,
  RequestTimeoutError,
  SessionClosedError,
  TransportError,
} from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { classifyAttempt, countsAgainstReplica } from './attempt-outcome.js';

describe('classifyAttempt: one decision per attempt', () => {
  it('classifies every way an attempt can end', () => {
    expect(classifyAttempt(undefined, undefined)).toBe('success');
    expect(classifyAttempt(new InvalidRequestError('BigInt'), undefined)).toBe('caller-error');
    expect(classifyAttempt(new RemoteError('bad params', { rpcCode: -32602 }), undefined)).toBe(
      'caller-error',
    );
    expect(classifyAttempt(new RemoteError('internal', { rpcCode: -32603 }), undefined)).toBe(
      'remote-error',
    );
    expect(classifyAttempt(new RequestTimeoutError('slow', { timeoutMs: 1 }), undefined)).toBe(
      'timeout',
    );
    expect(
      classifyAttempt(new TransportError('refused', { reachedServer: false }), undefined),
    ).toBe('never-sent');
    expect(classifyAttempt(new SessionClosedError('died'), undefined)).toBe('failed');
    expect(classifyAttempt(new ConnectError('ENOENT'), undefined)).toBe('never-sent');
    // Refused connects are connects that failed: never sent, whatever their own code.
    const refused = new AuthError('HTTP 401 from /mcp', { status: 401 });
    expect(classifyAttempt(refused, undefined)).toBe('never-sent');
    const notFound = new EndpointNotFoundError('HTTP 404 from /x', { status: 404 });
    expect(classifyAttempt(notFound, undefined)).toBe('never-sent');
    expect(classifyAttempt(new AcquireTimeoutError('none', { timeoutMs: 1 }), undefined)).toBe(
      'never-sent',
    );
    expect(classifyAttempt(new CancelledError('stop'), undefined)).toBe('cancelled');
    const controller = new AbortController();
    controller.abort();
    expect(classifyAttempt(new SessionClosedError('died'), controller.signal)).toBe('cancelled');
    expect(classifyAttempt(new Error('plain'), undefined)).toBe('failed');
  });

  it("a caller's mistake or cancel never counts against a replica, whatever isFailure says", () => {
    const always = () => true;
    expect(countsAgainstReplica('caller-error', new InvalidRequestError('x'), always)).toBe(false);
    expect(countsAgainstReplica('cancelled', new CancelledError('x'), always)).toBe(false);
    expect(countsAgainstReplica('success', undefined, always)).toBe(false);
    expect(countsAgainstReplica('timeout', new Error('x'), always)).toBe(true);
    expect(countsAgainstReplica('remote-error', new Error('x'), () => false)).toBe(false);
  });
});
