import {
  InvalidRequestError,
  ProtocolError,
  SessionClosedError,
  TransportError,
  wasNeverSent,
} from '@mcpmx/core';
import { SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { type ErrorContext, mapRequestError } from './map-error.js';

// The classification of what a failed request means, on errors shaped exactly as Node's fetch
// (undici) and the SDK raise them. The same failures are caused for real, through a TCP proxy,
// in test/http-request-faults.test.ts; a connect timeout cannot be caused quickly on loopback,
// so this is where it is checked.

const http: ErrorContext = {
  server: 'srv',
  replica: 'srv#0',
  method: 'tools/call',
  timeoutMs: 1000,
  perRequest: true,
};
const stdio: ErrorContext = { ...http, perRequest: false };

/** What Node's fetch rejects with: `TypeError: fetch failed` with undici's error as cause. */
const fetchFailed = (code: string, message = code) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });

describe('mapRequestError', () => {
  it.each(['UND_ERR_CONNECT_TIMEOUT', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])(
    'over HTTP, %s fails the request alone, as never sent',
    (code) => {
      const error = mapRequestError(fetchFailed(code), http);
      expect(TransportError.isInstance(error)).toBe(true);
      expect(SessionClosedError.isInstance(error)).toBe(false);
      expect((error as TransportError).reachedServer).toBe(false);
      expect(wasNeverSent(error)).toBe(true);
      expect(error.message).toContain(code);
      expect(error.message).toContain('tools/call on srv (srv#0)');
    },
  );

  it("quotes fetch's own error without the URL's userinfo or query", () => {
    let refused: unknown;
    try {
      new Request('http://user:p4ss-word@127.0.0.1:9/mcp?key=k3y-value');
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).toContain('p4ss-word'); // what fetch itself says
    const { message } = mapRequestError(refused, http);
    expect(message).toContain('includes credentials: http://127.0.0.1:9/mcp?…');
    expect(message).not.toMatch(/p4ss-word|k3y-value|user:/);
  });

  it('over HTTP, a connect error inside an AggregateError (happy eyeballs) is found', () => {
    const aggregate = Object.assign(
      new AggregateError([
        Object.assign(new Error('connect ECONNREFUSED ::1:80'), { code: 'ECONNREFUSED' }),
      ]),
      { code: undefined },
    );
    const error = mapRequestError(new TypeError('fetch failed', { cause: aggregate }), http);
    expect((error as TransportError).reachedServer).toBe(false);
  });

  it.each([
    ['ECONNRESET', 'read ECONNRESET'],
    ['UND_ERR_SOCKET', 'other side closed'],
    ['UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'],
  ])(
    'over HTTP, %s after the request may have been written is reachedServer unknown',
    (code, message) => {
      const error = mapRequestError(fetchFailed(code, message), http);
      expect(TransportError.isInstance(error)).toBe(true);
      expect(SessionClosedError.isInstance(error)).toBe(false);
      expect((error as TransportError).reachedServer).toBe('unknown');
      expect(wasNeverSent(error)).toBe(false);
    },
  );

  it('over HTTP, a response body that breaks ("terminated") is reachedServer unknown', () => {
    const error = mapRequestError(new TypeError('terminated'), http);
    expect(TransportError.isInstance(error)).toBe(true);
    expect((error as TransportError).reachedServer).toBe('unknown');
  });

  it('where the connection is the session, a network error is a SessionClosedError', () => {
    const refused = mapRequestError(fetchFailed('ECONNREFUSED'), stdio);
    expect(SessionClosedError.isInstance(refused)).toBe(true);
    expect((refused as SessionClosedError).reachedServer).toBe(false);
    const reset = mapRequestError(
      Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }),
      stdio,
    );
    expect((reset as SessionClosedError).reachedServer).toBe('unknown');
  });

  it('a request whose session closed before its answer may have run: reachedServer unknown', () => {
    const error = mapRequestError(
      new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'),
      {
        ...stdio,
        closedBecause: () => 'process killed by SIGKILL',
      },
    );
    expect(SessionClosedError.isInstance(error)).toBe(true);
    expect((error as SessionClosedError).reachedServer).toBe('unknown');
    expect(error.message).toContain('killed by SIGKILL');
  });

  it.each([
    [
      'Streamable HTTP 404',
      new SdkHttpError(
        SdkErrorCode.ClientHttpNotImplemented,
        'Error POSTing to endpoint: not found',
        { status: 404, statusText: 'Not Found' },
      ),
    ],
    [
      'Streamable HTTP 400 about the session',
      new SdkHttpError(
        SdkErrorCode.ClientHttpNotImplemented,
        'Error POSTing to endpoint: {"error":{"message":"Bad Request: No valid session ID provided"}}',
        { status: 400, statusText: 'Bad Request' },
      ),
    ],
    ['SSE 404', new Error('Error POSTing to endpoint (HTTP 404): Session not found')],
  ])(
    '%s: the server refused the session, so the request did not run (reachedServer false)',
    (_, raw) => {
      const error = mapRequestError(raw, http);
      expect(SessionClosedError.isInstance(error)).toBe(true);
      expect((error as SessionClosedError).reachedServer).toBe(false);
      expect(error.message).toContain('no longer knows the session');
    },
  );

  it('the SDK\'s bare "Not connected" is a SessionClosedError, never sent', () => {
    const error = mapRequestError(new Error('Not connected'), stdio);
    expect(SessionClosedError.isInstance(error)).toBe(true);
    expect((error as SessionClosedError).reachedServer).toBe(false);
  });

  it('anything else is a ProtocolError, and an mcpmx error passes through unchanged', () => {
    expect(ProtocolError.isInstance(mapRequestError(new Error('odd'), http))).toBe(true);
    const invalid = new InvalidRequestError('bad arguments');
    expect(mapRequestError(invalid, http)).toBe(invalid);
  });
});
