import { describe, expect, it } from 'vitest';
import { compileUriTemplate, MAX_TEMPLATE_URI_LENGTH } from './uri-template.js';

describe('compileUriTemplate', () => {
  it('matches one segment for {var} and the rest for {+var}', () => {
    const one = compileUriTemplate('test://static/resource/{id}');
    expect(one?.test('test://static/resource/42')).toBe(true);
    expect(one?.test('test://static/resource/42/extra')).toBe(false);
    expect(one?.test('test://other/42')).toBe(false);
    const rest = compileUriTemplate('file:///{+path}');
    expect(rest?.test('file:///tmp/a/b.txt')).toBe(true);
    const two = compileUriTemplate('db://{schema}/{table}{.format}');
    expect(two?.test('db://public/users.json')).toBe(true);
    expect(two?.test('db://public/users/json')).toBe(false);
    expect(compileUriTemplate('x://{+a}/end/{b}')?.test('x://p/end/q/end/r')).toBe(true);
    expect(compileUriTemplate('x://{+a}/end/{b}')?.test('x://p/end/q/r')).toBe(false);
    expect(compileUriTemplate('x://{a}')?.test('x://')).toBe(true);
  });

  it('treats regex characters in the template literally and rejects broken templates', () => {
    expect(compileUriTemplate('a.b://{x}')?.test('aXb://1')).toBe(false);
    expect(compileUriTemplate('x://{}')).toBeUndefined();
    expect(compileUriTemplate('x://{a')).toBeUndefined();
    expect(compileUriTemplate('x://a}')).toBeUndefined();
    expect(compileUriTemplate('x://{a{b}')).toBeUndefined();
  });

  it('counts the literal characters, for the most specific template to win', () => {
    expect(compileUriTemplate('test://static/resource/{id}')?.literalLength).toBe(23);
    expect(compileUriTemplate('{+a}{b}')?.literalLength).toBe(0);
  });

  it('does not backtrack: wildcards side by side and a URI that almost fits', () => {
    // As a regular expression, ([^/?#]*) five times then "/end" is O(n^5) on this URI.
    const segments = compileUriTemplate('x://{a}{b}{c}{d}{e}/end');
    const near = `x://${'a'.repeat(MAX_TEMPLATE_URI_LENGTH - 8)}/en`;
    expect(segments?.test(near)).toBe(false);
    expect(segments?.test(`${near}d`)).toBe(true);
    const rests = compileUriTemplate('x://{+a}{+b}{+c}/end');
    expect(rests?.test(`x://${'/'.repeat(MAX_TEMPLATE_URI_LENGTH - 8)}/en`)).toBe(false);
  });

  it('matches no URI over 8 KiB, however plainly it fits', () => {
    const rest = compileUriTemplate('file:///{+path}');
    const path = 'a'.repeat(MAX_TEMPLATE_URI_LENGTH - 'file:///'.length);
    expect(rest?.test(`file:///${path}`)).toBe(true);
    expect(rest?.test(`file:///${path}a`)).toBe(false);
    expect(rest?.test(`file:///${'a'.repeat(4 * 1024 * 1024)}`)).toBe(false);
  });
});
