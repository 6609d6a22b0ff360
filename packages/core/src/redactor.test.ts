import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, MIN_SECRET_LENGTH, REDACTED, redactUrls } from './redactor.js';

/** Secrets of printable characters, URL-unsafe ones included. */
const secret = fc
  .string({ minLength: MIN_SECRET_LENGTH, maxLength: 40, unit: 'grapheme-ascii' })
  .filter((text) => text.trim().length >= MIN_SECRET_LENGTH);
const filler = fc.string({ maxLength: 60, unit: 'grapheme-ascii' });

/** The positions a secret takes in what mcpmx prints: each one as it would appear there. */
const positions = [
  (value: string) => `http://127.0.0.1:9/${encodeURIComponent(value)}/mcp`,
  (value: string) => `http://127.0.0.1:9/${encodeURI(value)}/mcp`,
  (value: string) =>
    `failed: Request cannot be constructed from a URL that includes credentials: http://user:${encodeURIComponent(value)}@127.0.0.1:9/mcp`,
  (value: string) => `stderr:\n  | TOKEN=${value}\n  | argv ${value}`,
  (value: string) => JSON.stringify({ env: { KEY: value } }),
  (value: string) => `Bearer ${value}`,
];

describe('createRedactor', () => {
  it('no known secret survives, in any position, amid any text', () => {
    fc.assert(
      fc.property(secret, filler, filler, fc.nat(positions.length - 1), (value, a, b, at) => {
        const redactor = createRedactor([value]);
        const text = `${a}${(positions[at] as (value: string) => string)(value)}${b}`;
        expect(redactor.redact(text)).not.toContain(value);
        expect(redactor.redact(text)).not.toContain(encodeURIComponent(value));
      }),
      { numRuns: 500 },
    );
  });

  it('drops userinfo and query from every URL in text, keeping host and path', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:-]{1,30}$/),
        fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@/?-]{1,30}$/),
        filler,
        (userinfo, query, around) => {
          const text = `${around} (http://${userinfo}@127.0.0.1:9/mcp?${query}) ${around}`;
          const redacted = redactUrls(text);
          expect(redacted).toContain('http://127.0.0.1:9/mcp');
          expect(redacted).not.toContain(`${userinfo}@`);
          expect(redacted).not.toContain(`?${query}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('shows where text was redacted, and leaves text without secrets alone', () => {
    const redactor = createRedactor(['hunter2-token']);
    expect(redactor.redact('key=hunter2-token;')).toBe(`key=${REDACTED};`);
    expect(redactor.redact('see https://a:b@example.com/x?y=1#z now')).toBe(
      'see https://example.com/x?… now',
    );
    expect(redactor.redact('nothing to hide at http://127.0.0.1:9/mcp')).toBe(
      'nothing to hide at http://127.0.0.1:9/mcp',
    );
  });

  it(`ignores values shorter than ${MIN_SECRET_LENGTH} characters, which would blank out text`, () => {
    const redactor = createRedactor(['', '1', 'true', 'prod']);
    expect(redactor.redact('prod is true 1')).toBe('prod is true 1');
  });

  it('redacts errors in place: message, stack, fields and causes', () => {
    const redactor = createRedactor(['hunter2-token']);
    const cause = new Error('fetch http://u:hunter2-token@h/ failed');
    const error = Object.assign(new Error('call failed with hunter2-token', { cause }), {
      replicas: [{ replica: 'a#0', lastError: 'env hunter2-token' }],
    });
    expect(redactor.redactError(error)).toBe(error);
    const seen = JSON.stringify({ ...error, message: error.message, stack: error.stack, cause });
    expect(seen).not.toContain('hunter2-token');
    expect(cause.message).toBe('fetch http://h/ failed');
  });

  it('copies JSON-like values with every string redacted, and adds secrets later', () => {
    const redactor = createRedactor();
    const value = { servers: [{ lastError: 'x=late-secret-1', at: 5 }] };
    redactor.addSecrets(['late-secret-1']);
    expect(redactor.redactValue(value)).toEqual({
      servers: [{ lastError: `x=${REDACTED}`, at: 5 }],
    });
    expect(value.servers[0]?.lastError).toBe('x=late-secret-1');
  });
});
