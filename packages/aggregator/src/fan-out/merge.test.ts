import { describe, expect, it } from 'vitest';
import { mergeLists } from './merge.js';

const lists = [
  [
    { name: 'a', from: 1 },
    { name: 'b', from: 1 },
  ],
  [
    { name: 'b', from: 2 },
    { name: 'c', from: 2 },
  ],
];

describe('mergeLists', () => {
  it('dedupes by key, first wins by default, keeping first-seen order', () => {
    expect(mergeLists(lists, { key: (item) => item.name })).toEqual([
      { name: 'a', from: 1 },
      { name: 'b', from: 1 },
      { name: 'c', from: 2 },
    ]);
  });

  it('last wins', () => {
    const merged = mergeLists(lists, { key: (item) => item.name, onConflict: 'last-wins' });
    expect(merged.map((item) => item.from)).toEqual([1, 2, 2]);
  });

  it('custom resolver', () => {
    const merged = mergeLists(lists, {
      key: (item) => item.name,
      onConflict: (existing, incoming) => ({
        name: existing.name,
        from: existing.from + incoming.from,
      }),
    });
    expect(merged.find((item) => item.name === 'b')?.from).toBe(3);
  });

  it('names a bad option', () => {
    expect(() => mergeLists(lists, { key: 'name' as never })).toThrow(/key must be a function/);
  });
});
