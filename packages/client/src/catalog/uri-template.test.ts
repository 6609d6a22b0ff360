import { describe, expect, it } from 'vitest';
import { compileUriTemplate } from './uri-template.js';

describe('compileUriTemplate', () => {
  it('matches one segment for {var} and the rest for {+var}', () => {
    const one = compileUriTemplate('test://static/resource/{id}');
    expect(one?.test('test://static/resource/42')).toBe(true);
    expect(one?.test('test://static/resource/42/extra')).toBe(false);
    expect(one?.test('test://other/42')).toBe(false);
    const rest = compileUriTemplate('file:///{+path}');
    expect(rest?.test('file:///tmp/a/b.txt')).toBe(true);
  });

  it('treats regex characters in the template literally and rejects broken templates', () => {
    expect(compileUriTemplate('a.b://{x}')?.test('aXb://1')).toBe(false);
    expect(compileUriTemplate('x://{}')).toBeUndefined();
    expect(compileUriTemplate('x://{a')).toBeUndefined();
  });
});
