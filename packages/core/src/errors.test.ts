import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidOptionError, McpmxError } from './errors.js';
import { NoHealthyReplicaError } from './routing-errors.js';
import { SessionClosedError, TransportError, wasNeverSent } from './session-errors.js';

describe('McpmxError', () => {
  it('is recognised through the Symbol.for brand, even from another copy of the package', () => {
    const error = new SessionClosedError('gone', { server: 'files', replica: 'files#0' });
    expect(McpmxError.isInstance(error)).toBe(true);
    // A structurally identical object from "another copy" carries the same global symbol.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('mcpmx.error')]: true,
      code: 'MCPMX_TIMEOUT',
    });
    expect(McpmxError.isInstance(foreign)).toBe(true);
    expect(McpmxError.isInstance(new Error('plain'))).toBe(false);
    expect(McpmxError.isInstance(null)).toBe(false);
    expect(McpmxError.hasCode(error, 'MCPMX_SESSION_CLOSED')).toBe(true);
    expect(McpmxError.hasCode(error, 'MCPMX_TIMEOUT')).toBe(false);
  });

  it('a subclass recognises only its own errors, also from another copy', () => {
    const closed = new SessionClosedError('gone');
    expect(SessionClosedError.isInstance(closed)).toBe(true);
    expect(NoHealthyReplicaError.isInstance(closed)).toBe(false);
    expect(InvalidOptionError.isInstance(new InvalidOptionError('x', 'y', 1))).toBe(true);
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('mcpmx.error')]: true,
      [Symbol.for('mcpmx.error.MCPMX_SESSION_CLOSED')]: true,
      code: 'MCPMX_SESSION_CLOSED',
    });
    expect(SessionClosedError.isInstance(foreign)).toBe(true);
    expect(ConfigError.isInstance(foreign)).toBe(false);
    // The marker, not the code, decides: an error that only claims a code is not an instance.
    const claimsCode = Object.assign(new Error('x'), {
      [Symbol.for('mcpmx.error')]: true,
      code: 'MCPMX_SESSION_CLOSED',
    });
    expect(SessionClosedError.isInstance(claimsCode)).toBe(false);
  });

  it('two classes with the same runtime name (as a minifier leaves them) stay apart', () => {
    // Two separately minified packages can each name a class `c`; the marker comes from the
    // code each class declares, so neither passes the other's check.
    const first = (() =>
      class c extends McpmxError {
        static override readonly errorCode = 'MCPMX_TARGET_FAILED' as const;
        constructor() {
          super('MCPMX_TARGET_FAILED', 'first');
        }
      })();
    const second = (() =>
      class c extends McpmxError {
        static override readonly errorCode = 'MCPMX_FAN_OUT_FAILED' as const;
        constructor() {
          super('MCPMX_FAN_OUT_FAILED', 'second');
        }
      })();
    expect(first.name).toBe(second.name);
    expect(first.isInstance(new second())).toBe(false);
    expect(second.isInstance(new first())).toBe(false);
    expect(InvalidOptionError.isInstance(new first())).toBe(false);
    expect(first.isInstance(new first())).toBe(true);
  });

  it('a subclass is an instance of its base classes, never of a sibling', () => {
    class SpecialClosedError extends SessionClosedError {}
    const special = new SpecialClosedError('gone');
    expect(SpecialClosedError.isInstance(special)).toBe(true);
    expect(SessionClosedError.isInstance(special)).toBe(true);
    expect(McpmxError.isInstance(special)).toBe(true);
    expect(SpecialClosedError.isInstance(new SessionClosedError('plain'))).toBe(false);
  });

  it('wasNeverSent: only a SessionClosedError that says reachedServer: false', () => {
    expect(wasNeverSent(new SessionClosedError('not sent', { reachedServer: false }))).toBe(true);
    expect(wasNeverSent(new SessionClosedError('lost mid-request'))).toBe(false);
    expect(wasNeverSent(new NoHealthyReplicaError('s', []))).toBe(false);
    expect(wasNeverSent(Object.assign(new Error('x'), { reachedServer: false }))).toBe(false);
  });

  it('carries structured fields and the cause', () => {
    const cause = new Error('ECONNRESET');
    const error = new SessionClosedError('socket closed', {
      server: 's',
      replica: 'r',
      cause,
      reachedServer: false,
    });
    expect(error).toMatchObject({
      code: 'MCPMX_SESSION_CLOSED',
      server: 's',
      replica: 'r',
      reachedServer: false,
    });
    expect(error.cause).toBe(cause);
  });

  it('names the option, the expectation and the value it got', () => {
    expect(new InvalidOptionError('maxSessions', '>= minSessions (2)', 0).message).toBe(
      'maxSessions must be >= minSessions (2) (got 0)',
    );
  });

  it('lists every config issue with its path', () => {
    const error = new ConfigError(
      [
        { path: 'mcpServers.files.command', expected: 'a string', found: 42 },
        { path: 'mcpServers.web.url', expected: 'an http(s) URL', found: 'ftp://x' },
      ],
      'mcp.json',
    );
    expect(error.message).toContain('mcp.json');
    expect(error.message).toContain('mcpServers.files.command: expected a string, found 42');
    expect(error.message).toContain('mcpServers.web.url: expected an http(s) URL, found "ftp://x"');
  });

  it("lists each replica's last error when no replica is healthy", () => {
    const error = new NoHealthyReplicaError('files', [
      { replica: 'files#0', status: 'down', lastError: 'process exited with code 137' },
      { replica: 'files#1', status: 'open' },
    ]);
    expect(error.message).toContain('files#0: down (process exited with code 137)');
    expect(error.message).toContain('files#1: open');
    expect(error.server).toBe('files');
  });
});

describe('TransportError', () => {
  it('a SessionClosedError is a TransportError; a TransportError is not a SessionClosedError', () => {
    const closed = new SessionClosedError('gone', { reachedServer: false });
    const oneRequest = new TransportError('connect timeout', { reachedServer: false });
    expect(TransportError.isInstance(closed)).toBe(true);
    expect(SessionClosedError.isInstance(oneRequest)).toBe(false);
    expect(closed.code).toBe('MCPMX_SESSION_CLOSED');
    expect(oneRequest.code).toBe('MCPMX_TRANSPORT_ERROR');
    expect(wasNeverSent(oneRequest)).toBe(true);
    expect(wasNeverSent(new TransportError('reset after write'))).toBe(false);
    expect(new TransportError('x').reachedServer).toBe('unknown');
  });
});
