import { describe, expect, it } from 'vitest';
import { resolveFrontDoorLimits } from './front-door-limits.js';
import { readOpenFileLimit } from './open-file-limit.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            20000                524288               files
`;

describe('the open-file limit', () => {
  it('reads the soft limit from /proc/self/limits; unlimited is Infinity; unreadable is undefined', () => {
    expect(readOpenFileLimit(() => LIMITS)).toBe(20000);
    expect(readOpenFileLimit(() => LIMITS.replace('20000', 'unlimited'))).toBe(Infinity);
    expect(
      readOpenFileLimit(() => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
    expect(readOpenFileLimit(() => 'no such line')).toBeUndefined();
  });
});

describe('front-door defaults', () => {
  it('derive from the open-file limit, leaving three quarters of it to everything else', () => {
    expect(resolveFrontDoorLimits({}, { openFileLimit: 20000, longLivedSockets: 16 })).toEqual({
      maxConnections: 1024,
      maxConnectionsPerAddress: 256,
      maxConcurrentRequests: 256,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxRequestBodyBytes: 4 * 1024 * 1024,
    });
    // Unknown: 1024 is assumed.
    expect(
      resolveFrontDoorLimits({}, { openFileLimit: undefined, longLivedSockets: 16 }),
    ).toMatchObject({
      maxConnections: 256,
      maxConnectionsPerAddress: 64,
      maxConcurrentRequests: 120,
    });
    expect(
      resolveFrontDoorLimits({ maxConnections: 50 }, { openFileLimit: 1024, longLivedSockets: 0 }),
    ).toMatchObject({
      maxConnections: 50,
      maxConnectionsPerAddress: 12,
      maxConcurrentRequests: 25,
    });
  });
});
