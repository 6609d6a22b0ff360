import { describe, expect, it } from 'vitest';
import { processTerm, stem, tokenize } from './search-terms.js';

describe('search terms', () => {
  it('splits snake, kebab, camel and Pascal case, and digits stay in words', () => {
    expect(tokenize('read_text_file')).toEqual(['read', 'text', 'file']);
    expect(tokenize('read-text-file')).toEqual(['read', 'text', 'file']);
    expect(tokenize('readTextFile')).toEqual(['read', 'Text', 'File']);
    expect(tokenize('getHTTPResponse v2')).toEqual(['get', 'HTTP', 'Response', 'v2']);
    expect(tokenize('everything__echo')).toEqual(['everything', 'echo']);
    expect(tokenize('  ')).toEqual([]);
  });

  it('stems word forms onto one term', () => {
    const same = (...words: string[]) => expect(new Set(words.map(stem)).size).toBe(1);
    same('file', 'files');
    same('search', 'searching', 'searches');
    same('delete', 'deleted', 'deleting', 'deletes');
    same('entity', 'entities');
    same('directory', 'directories');
    same('create', 'created', 'creating');
    same('run', 'running');
    expect(stem('add')).toBe('add');
    expect(stem('user')).toBe('user');
  });

  it('drops stop words and lower-cases the rest', () => {
    expect(processTerm('the')).toBeNull();
    expect(processTerm('Please')).toBeNull();
    expect(processTerm('Files')).toBe('file');
  });
});
