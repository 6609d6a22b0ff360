import { describe, expect, it } from 'vitest';
import { closestNames, MAX_NAME_LENGTH } from './closest-names.js';

const TOOLS = ['echo', 'get-sum', 'get-env', 'long-running-operation', 'everything__echo'];
const catalog = (size: number) => Array.from({ length: size }, (_, i) => `tool_${i}`);

/** Yields `names`, counting each one read, and throws once more than `most` are read. */
function counted(
  names: readonly string[],
  most = Number.POSITIVE_INFINITY,
): { names: Iterable<string>; read: () => number } {
  let read = 0;
  return {
    names: {
      *[Symbol.iterator]() {
        for (const name of names) {
          if (++read > most) throw new Error(`read ${read} candidates, more than ${most}`);
          yield name;
        }
      },
    },
    read: () => read,
  };
}

describe('closestNames', () => {
  it('suggests the names one or two edits away, closest first, ignoring case', () => {
    expect(closestNames('ecko', TOOLS)).toEqual(['echo']);
    expect(closestNames('GET-SNV', TOOLS)).toEqual(['get-env', 'get-sum']);
    expect(closestNames('get-snu', TOOLS, { limit: 1 })).toEqual(['get-sum']); // a swap: one edit
    expect(closestNames('long-runing-opration', TOOLS)).toEqual(['long-running-operation']);
    expect(closestNames('nope', TOOLS)).toEqual([]);
    expect(closestNames('', TOOLS)).toEqual([]);
  });

  it('with substrings, suggests the bare tool inside a prefixed name, and the other way round', () => {
    expect(closestNames('echo', ['everything__echo', 'other'], { substrings: true })).toEqual([
      'everything__echo',
    ]);
    expect(closestNames('fault__echo', ['echo', 'other'], { substrings: true })).toEqual(['echo']);
    expect(closestNames('echo', ['everything__echo'])).toEqual([]);
    expect(closestNames('ec', ['everything__echo'], { substrings: true })).toEqual([]);
  });

  it('reads no candidate for a name over 64 characters: a 4 MiB name on 10,000 names', () => {
    const huge = 'x'.repeat(4 * 1024 * 1024);
    const tools = counted(catalog(10_000), 0);
    expect(closestNames(huge, tools.names)).toEqual([]);
    expect(closestNames('x'.repeat(MAX_NAME_LENGTH + 1), tools.names)).toEqual([]);
    expect(tools.read()).toBe(0);
  });

  it('reads at most 10,000 candidates, and skips those over 64 characters', () => {
    const tools = counted([...catalog(100_000), 'tool_x'], 10_001);
    expect(closestNames('tool_x', tools.names)).not.toContain('tool_x');
    expect(tools.read()).toBeLessThanOrEqual(10_001);
    const name = 'a'.repeat(MAX_NAME_LENGTH);
    expect(closestNames(name, [`${name}b`, `${name.slice(1)}b`])).toEqual([`${name.slice(1)}b`]);
  });

  it('still finds a close name for a 64-character name among 10,000 others', () => {
    const name = `${'n'.repeat(60)}_abc`;
    const names = [...catalog(9_999), `${'n'.repeat(60)}_abd`];
    expect(closestNames(name, names)).toEqual([`${'n'.repeat(60)}_abd`]);
  });
});
