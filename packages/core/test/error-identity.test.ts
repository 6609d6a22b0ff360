import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import { McpmxError } from '../src/index.js';

type ErrorClass = (abstract new (
  ...args: never[]
) => McpmxError) & {
  readonly errorCode: string | undefined;
  isInstance(value: unknown): boolean;
};

/** One instance of each exported error class; a class missing here fails the test below. */
const examples: Record<string, () => McpmxError> = {
  AcquireTimeoutError: () => new core.AcquireTimeoutError('no session', { timeoutMs: 10 }),
  AuthError: () => new core.AuthError('HTTP 401 from /mcp', { status: 401 }),
  AuthRequiredError: () =>
    new core.AuthRequiredError('needs login: run `mcpmx login x`', { login: 'mcpmx login x' }),
  CancelledError: () => new core.CancelledError('aborted'),
  CircuitOpenError: () => new core.CircuitOpenError('open'),
  ClientClosedError: () => new core.ClientClosedError('callTool'),
  ConcurrencyLimitError: () =>
    new core.ConcurrencyLimitError('queue full', { reason: 'queue-full' }),
  ConfigError: () => new core.ConfigError([{ path: 'a', expected: 'a string', found: 1 }]),
  ConnectError: () => new core.ConnectError('refused'),
  EndpointNotFoundError: () => new core.EndpointNotFoundError('HTTP 404 from /x', { status: 404 }),
  DiscoveryError: () => new core.DiscoveryError('dns', 'SERVFAIL'),
  InteractionError: () =>
    new core.InteractionError('the handler failed', { method: 'elicitation/create' }),
  InvalidOptionError: () => new core.InvalidOptionError('size', '>= 1', 0),
  InvalidRequestError: () => new core.InvalidRequestError('a bigint argument'),
  MessageTooLargeError: () =>
    new core.MessageTooLargeError('too large', { limit: 1024, size: 1025 }),
  NameConflictError: () => new core.NameConflictError('search', ['a', 'b']),
  NoHealthyReplicaError: () => new core.NoHealthyReplicaError('files', []),
  NoTimerScheduledError: () => new core.NoTimerScheduledError(),
  NotStartedError: () => new core.NotStartedError('callTool'),
  PoolClosedError: () => new core.PoolClosedError('closed'),
  ProtocolError: () => new core.ProtocolError('garbage'),
  RemoteError: () => new core.RemoteError('boom', { rpcCode: -32603 }),
  RequestTimeoutError: () => new core.RequestTimeoutError('slow', { timeoutMs: 5 }),
  SessionClosedError: () => new core.SessionClosedError('gone'),
  StartTimeoutError: () => new core.StartTimeoutError('slow start', { timeoutMs: 5 }),
  TokenStoreError: () => new core.TokenStoreError('corrupt', { path: '/tmp/x.json' }),
  TransportError: () => new core.TransportError('reset'),
  UnknownPromptError: () => new core.UnknownPromptError('greet', []),
  UnknownResourceError: () => new core.UnknownResourceError('file:///x'),
  UnknownServerError: () => new core.UnknownServerError('no server "x"'),
  UnknownToolError: () => new core.UnknownToolError('serch', ['search']),
};

const errorClasses = Object.entries(core as Record<string, unknown>).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' &&
    entry[1] !== McpmxError &&
    (entry[1] as ErrorClass).prototype instanceof McpmxError,
);

describe("core's exported error classes", () => {
  it('are all covered here', () => {
    expect(errorClasses.map(([name]) => name).sort()).toEqual(Object.keys(examples).sort());
  });

  it('each declares its own errorCode, distinct from every other class', () => {
    const codes = errorClasses.map(([name, type]) => {
      expect(Object.hasOwn(type, 'errorCode'), `${name} declares errorCode`).toBe(true);
      expect(type.errorCode, name).toMatch(/^MCPMX_[A-Z_]+$/);
      return type.errorCode;
    });
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("each instance carries its class's code and name", () => {
    for (const [name, type] of errorClasses) {
      const error = (examples[name] as () => McpmxError)();
      expect(error.code, name).toBe(type.errorCode);
      expect(error.name, name).toBe(name);
      expect(error.message.length, name).toBeGreaterThan(0);
    }
  });

  it('isInstance is true only for the class itself and the classes it extends', () => {
    for (const [name] of errorClasses) {
      const error = (examples[name] as () => McpmxError)();
      expect(McpmxError.isInstance(error), name).toBe(true);
      for (const [otherName, other] of errorClasses) {
        expect(other.isInstance(error), `${otherName}.isInstance(${name})`).toBe(
          error instanceof other,
        );
      }
    }
  });

  it('a structurally marked object from another copy of core is recognised by its class only', () => {
    for (const [name, type] of errorClasses) {
      const foreign = Object.assign(new Error('from another copy'), {
        [Symbol.for('mcpmx.error')]: true,
        [Symbol.for(`mcpmx.error.${type.errorCode}`)]: true,
        code: type.errorCode,
      });
      for (const [otherName, other] of errorClasses) {
        expect(other.isInstance(foreign), `${otherName}.isInstance(foreign ${name})`).toBe(
          other === type,
        );
      }
    }
  });
});
