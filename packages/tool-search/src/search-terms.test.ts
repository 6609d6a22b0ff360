import { describe, expect, it } from 'vitest';
import { indexTerms, processTerm, stem, tokenize } from './search-terms.js';

describe('search terms', () => {
  it('splits snake, kebab, camel and Pascal case, and digits stay in words', () => {
    expect(tokenize('read_text_file')).toEqual(['read', 'text', 'file']);
    expect(tokenize('read-text-file')).toEqual(['read', 'text', 'file']);
    expect(tokenize('readTextFile')).toEqual(['read', 'Text', 'File']);
    expect(tokenize('getHTTPResponse v2')).toEqual(['get', 'HTTP', 'Response', 'v2']);
    expect(tokenize('everything__echo')).toEqual(['everything', 'echo']);
    expect(tokenize('  ')).toEqual([]);
  });

  it('splits as the regular expressions it replaced did, beyond ASCII too', () => {
    // The former tokenizer: two camelCase replaces, then a split on non-letters and non-digits.
    const reference = (text: string) =>
      text
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word !== '');
    const samples = [
      'ABCDef AAbBBc a1B2C HTTPSProxy aBcD x_Y-z.W',
      'Größe ändern: Überblick für Straße',
      'créer_un_fichier naïveCafé ÉtéÀLaPlage',
      '読み込む ファイル 文件 ١٢٣ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀emoji😀 Ω2Ω',
      '\tline\nbreaks\r\n and   spaces ',
    ];
    // And random strings over a mix of ASCII and other characters.
    const alphabet = 'aZ9_ -.AbzY0éÉ文😀';
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 200; i++) {
      const characters = [...alphabet];
      samples.push(
        Array.from({ length: 24 }, () => characters[Math.floor(random() * characters.length)]).join(
          '',
        ),
      );
    }
    for (const text of samples) expect(tokenize(text), text).toEqual(reference(text));
  });

  it('index terms are the words as processTerm gives them, stop words left out', () => {
    expect(indexTerms('Reads the files of a Directory')).toEqual(['read', 'file', 'directory']);
    expect(indexTerms('getHTTPResponse_v2')).toEqual(['get', 'http', 'respons', 'v2']);
    expect(indexTerms('the of a')).toEqual([]);
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
