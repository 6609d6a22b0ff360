import * as core from '@mcpmx/core';
import { CancelledError, InvalidRequestError, McpmxError, RemoteError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { CacheKeyError } from './cache/cache-key.js';
import {
  FanOutFailedError,
  LostRaceError,
  TargetFailedError,
  TargetTimeoutError,
} from './fan-out/fan-out-errors.js';

const classes = { CacheKeyError, FanOutFailedError, TargetFailedError, TargetTimeoutError };
const examples: Record<keyof typeof classes, () => McpmxError> = {
  CacheKeyError: () => new CacheKeyError('$.n', 'a bigint'),
  FanOutFailedError: () => new FanOutFailedError('every fan-out target failed', new Map()),
  TargetFailedError: () => new TargetFailedError('docs', new Error('down')),
  TargetTimeoutError: () => new TargetTimeoutError('docs', 100),
};
const coreClasses = Object.entries(core as Record<string, unknown>).filter(
  (entry): entry is [string, typeof McpmxError] =>
    typeof entry[1] === 'function' &&
    entry[1] !== McpmxError &&
    (entry[1] as typeof McpmxError).prototype instanceof McpmxError,
);
const all = [...Object.entries(classes), ...coreClasses] as [string, typeof McpmxError][];

describe("aggregator's error classes", () => {
  it('each has its own code, shared with no other class here or in core', () => {
    const codes = all.map(([, type]) => type.errorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [name, type] of Object.entries(classes)) {
      expect(Object.hasOwn(type, 'errorCode'), name).toBe(true);
      expect(examples[name as keyof typeof classes]().code, name).toBe(type.errorCode);
    }
  });

  it('a fan-out or target failure is not a RemoteError, and a target timeout is not a request timeout', () => {
    const fanOutFailed = examples.FanOutFailedError();
    expect(RemoteError.isInstance(fanOutFailed)).toBe(false);
    expect(RemoteError.isInstance(examples.TargetFailedError())).toBe(false);
    expect(core.RequestTimeoutError.isInstance(examples.TargetTimeoutError())).toBe(false);
    expect(core.InvalidOptionError.isInstance(examples.CacheKeyError())).toBe(false);
  });

  it('isInstance is true only for the class itself and the classes it extends', () => {
    for (const [name, make] of Object.entries(examples)) {
      const error = make();
      expect(McpmxError.isInstance(error), name).toBe(true);
      for (const [otherName, other] of all) {
        expect(other.isInstance(error), `${otherName}.isInstance(${name})`).toBe(
          error instanceof other,
        );
      }
    }
  });

  it('recognises an error from another copy of the package by its marker alone', () => {
    for (const [name, type] of Object.entries(classes)) {
      const foreign = Object.assign(new Error('from another copy'), {
        [Symbol.for('mcpmx.error')]: true,
        [Symbol.for(`mcpmx.error.${type.errorCode}`)]: true,
        code: type.errorCode,
      });
      for (const [otherName, other] of all) {
        expect(other.isInstance(foreign), `${otherName}.isInstance(foreign ${name})`).toBe(
          other === type,
        );
      }
    }
    // A code alone is not a marker: an object that only claims a code is no instance.
    const claimsCode = Object.assign(new Error('x'), {
      [Symbol.for('mcpmx.error')]: true,
      code: 'MCPMX_FAN_OUT_FAILED',
    });
    expect(FanOutFailedError.isInstance(claimsCode)).toBe(false);
  });

  it('a cache key error is an InvalidRequestError: the caller’s request, not the server', () => {
    const error = examples.CacheKeyError();
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.code).toBe('MCPMX_INVALID_CACHE_KEY');
    expect(CacheKeyError.isInstance(new InvalidRequestError('other'))).toBe(false);
  });

  it("a lost race is a CancelledError with the cancellation's code", () => {
    const error = new LostRaceError('docs');
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(error.code).toBe('MCPMX_CANCELLED');
    expect(error.server).toBe('docs');
    expect(LostRaceError.isInstance(new CancelledError('caller'))).toBe(false);
  });
});
