import {
  AuthError,
  CancelledError,
  CircuitOpenError,
  ClientClosedError,
  ConnectError,
  EndpointNotFoundError,
  InvalidRequestError,
  McpmxError,
  NotStartedError,
  RemoteError,
  RequestTimeoutError,
  SessionClosedError,
  TransportError,
  UnknownPromptError,
  UnknownResourceError,
} from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { defaultFailureClassifier } from './failure-classifier.js';

/** An mcpmx error with a code defined outside core (aggregator's, or a newer copy's). */
const withCode = (code: string, cause?: unknown) =>
  new McpmxError(code as never, `an error with ${code}`, { cause });

describe('defaultFailureClassifier', () => {
  it('counts transport errors, timeouts and server errors, not the caller’s mistakes', () => {
    expect(defaultFailureClassifier(new SessionClosedError('gone'))).toBe(true);
    expect(defaultFailureClassifier(new RequestTimeoutError('slow', { timeoutMs: 1 }))).toBe(true);
    expect(defaultFailureClassifier(new RemoteError('boom', { rpcCode: -32603 }))).toBe(true);
    expect(defaultFailureClassifier(new Error('ECONNRESET'))).toBe(true);
    expect(defaultFailureClassifier(new RemoteError('bad args', { rpcCode: -32602 }))).toBe(false);
    expect(defaultFailureClassifier(new CircuitOpenError('open'))).toBe(false);
    expect(defaultFailureClassifier({ content: [], isError: true })).toBe(false);
  });

  it('counts a request lost in transit and a failed connect', () => {
    expect(defaultFailureClassifier(new TransportError('socket reset'))).toBe(true);
    expect(defaultFailureClassifier(new ConnectError('refused'))).toBe(true);
    expect(defaultFailureClassifier(withCode('MCPMX_TARGET_TIMEOUT'))).toBe(true);
  });

  it('does not count refused credentials (HTTP 401/403); counts a wrong path (404)', () => {
    // An open breaker would answer "circuit open" instead of the refusal that says what to fix.
    expect(defaultFailureClassifier(new AuthError('HTTP 401 from /mcp', { status: 401 }))).toBe(
      false,
    );
    const notFound = new EndpointNotFoundError('HTTP 404 from /x', { status: 404 });
    expect(defaultFailureClassifier(notFound)).toBe(true);
  });

  it('never counts a request the caller could not send, or use of a closed or unstarted client', () => {
    expect(defaultFailureClassifier(new InvalidRequestError('a bigint argument'))).toBe(false);
    expect(defaultFailureClassifier(withCode('MCPMX_INVALID_CACHE_KEY'))).toBe(false);
    expect(defaultFailureClassifier(new CancelledError('caller aborted'))).toBe(false);
    expect(defaultFailureClassifier(new ClientClosedError('callTool'))).toBe(false);
    expect(defaultFailureClassifier(new NotStartedError('callTool'))).toBe(false);
    expect(defaultFailureClassifier(new UnknownPromptError('greet', []))).toBe(false);
    expect(defaultFailureClassifier(new UnknownResourceError('file:///x'))).toBe(false);
  });

  it("judges a fan-out target's failure by that target's own error", () => {
    const sick = withCode('MCPMX_TARGET_FAILED', new SessionClosedError('gone'));
    const callersFault = withCode('MCPMX_TARGET_FAILED', new InvalidRequestError('bad'));
    expect(defaultFailureClassifier(sick)).toBe(true);
    expect(defaultFailureClassifier(callersFault)).toBe(false);
    expect(defaultFailureClassifier(withCode('MCPMX_FAN_OUT_FAILED'))).toBe(false);
    // A cause chain that loops back on itself is unwrapped a bounded number of times.
    const looped = withCode('MCPMX_TARGET_FAILED');
    Object.defineProperty(looped, 'cause', { value: looped });
    expect(defaultFailureClassifier(looped)).toBe(true);
  });

  it('counts an mcpmx error whose code this copy does not know', () => {
    expect(defaultFailureClassifier(withCode('MCPMX_SOMETHING_NEW'))).toBe(true);
  });
});
