import { describe, expect, it } from 'vitest';
import { PROVIDER_TOOL_NAME, providerToolNames } from './provider-tool-names.js';

describe('providerToolNames', () => {
  it('keeps names providers accept, maps the others to distinct names that fit', () => {
    const long = `${'a'.repeat(70)}__echo`;
    const keys = providerToolNames(['echo', long, `${long}2`, 'odd.name']);
    expect(keys.get('echo')).toBe('echo');
    const mapped = [keys.get(long), keys.get(`${long}2`), keys.get('odd.name')];
    for (const key of mapped) expect(key).toMatch(PROVIDER_TOOL_NAME);
    expect(new Set(mapped).size).toBe(3);
    expect(keys.get('odd.name')).toMatch(/^odd_name_[0-9a-f]{8}$/);
  });

  it('is stable: the same names give the same keys, in any order', () => {
    const names = [`${'b'.repeat(80)}`, 'x', `${'c'.repeat(65)}`];
    expect(providerToolNames(names)).toEqual(providerToolNames([...names].reverse()));
  });

  it('a mapped name never takes a name that already fits', () => {
    const long = 'q'.repeat(70);
    const first = providerToolNames([long]).get(long) ?? '';
    const keys = providerToolNames([long, first]);
    expect(keys.get(first)).toBe(first);
    expect(keys.get(long)).not.toBe(first);
    expect(keys.get(long)).toMatch(PROVIDER_TOOL_NAME);
  });
});
