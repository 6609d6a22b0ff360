import { describe, expect, it } from 'vitest';
import { describeRecordIssues } from './record-issues.js';

describe('describeRecordIssues', () => {
  const record = { weight: -1, tags: ['a', 3], weigth: 2, transport: { type: 'sse', hedaers: {} } };

  it('names the path, what was expected and what was found', () => {
    expect(describeRecordIssues([{ path: ['weight'], message: 'a number >= 0' }], record)).toBe(
      'weight must be a number >= 0 (got -1)',
    );
    expect(describeRecordIssues([{ path: ['tags', 1], message: 'a string' }], record)).toBe(
      'tags[1] must be a string (got 3)',
    );
    expect(
      describeRecordIssues([{ path: [], message: 'a JSON object' }], 'text', { root: 'the value' }),
    ).toBe('the value must be a JSON object (got "text")');
    expect(
      describeRecordIssues(
        [{ path: ['path'], message: 'a path starting with "/"' }],
        { path: 'x' },
        {
          prefix: 'TXT ',
        },
      ),
    ).toBe('TXT path must be a path starting with "/" (got "x")');
  });

  it('reports an unknown key with a did-you-mean among the keys known there', () => {
    const knownKeys = (path: readonly PropertyKey[]) =>
      path.length === 0 ? ['server', 'transport', 'weight'] : ['type', 'url', 'headers'];
    expect(
      describeRecordIssues(
        [{ path: [], message: 'x', code: 'unrecognized_keys', keys: ['weigth'] }],
        record,
        {
          knownKeys,
        },
      ),
    ).toBe(
      'weigth is not a known key (did you mean "weight"?); expected one of server, transport, weight',
    );
    expect(
      describeRecordIssues(
        [{ path: ['transport'], message: 'x', code: 'unrecognized_keys', keys: ['hedaers'] }],
        record,
        { knownKeys },
      ),
    ).toBe(
      'transport.hedaers is not a known key (did you mean "headers"?); expected one of type, url, headers',
    );
    // Too far from every known key, or too short to guess: no suggestion.
    expect(
      describeRecordIssues(
        [{ path: [], message: 'x', code: 'unrecognized_keys', keys: ['zz'] }],
        {},
        {
          knownKeys,
        },
      ),
    ).toBe('zz is not a known key; expected one of server, transport, weight');
  });

  it('counts further problems, and keeps a reason short for long keys and values', () => {
    const long = 'k'.repeat(10_000);
    const reason = describeRecordIssues(
      [
        { path: ['metadata', long], message: 'a string' },
        { path: ['weight'], message: 'a number >= 0' },
      ],
      { metadata: { [long]: 'v'.repeat(10_000) } },
    );
    expect(reason).toBe(
      `metadata.${'k'.repeat(37)}... must be a string (got "${'v'.repeat(57)}...") (and 1 more problem)`,
    );
    expect(reason.length).toBeLessThan(200);
    expect(
      describeRecordIssues(
        [{ path: [], message: 'x', code: 'unrecognized_keys', keys: ['a1', 'b2', 'c3'] }],
        {},
      ),
    ).toBe('a1 is not a known key (and 2 more problems)');
  });

  it('does not read through prototypes for the found value', () => {
    expect(describeRecordIssues([{ path: ['constructor'], message: 'a string' }], {})).toBe(
      'constructor must be a string (got undefined)',
    );
  });
});
