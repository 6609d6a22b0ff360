import { describe, expect, it } from 'vitest';
import { globMatches } from './glob.js';

describe('globMatches', () => {
  it.each([
    ['read_*', 'read_file', true],
    ['read_*', 'read_', true],
    ['read_*', 'write_file', false],
    ['*delete*', 'delete_entities', true],
    ['*delete*', 'bulk_delete', true],
    ['*delete*', 'remove', false],
    ['search', 'search', true],
    ['search', 'search_files', false],
    ['get_?', 'get_a', true],
    ['get_?', 'get_ab', false],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['Read_*', 'read_file', false],
    ['file:///srv/*', 'file:///srv/a/b.txt', true],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });

  it('a pattern built to backtrack stays linear-ish (no regex)', () => {
    const name = 'a'.repeat(5000);
    expect(globMatches(`${'a*'.repeat(50)}b`, name)).toBe(false);
  });
});
