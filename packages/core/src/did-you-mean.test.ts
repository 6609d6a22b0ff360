import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { didYouMean } from './did-you-mean.js';

const SERVER_KEYS = ['command', 'args', 'env', 'cwd', 'url', 'headers', 'type', 'tags', 'weight'];

describe('didYouMean', () => {
  it('suggests the known key one or two edits away, ignoring case', () => {
    expect(didYouMean('comand', SERVER_KEYS)).toBe('command');
    expect(didYouMean('Command', SERVER_KEYS)).toBe('command');
    expect(didYouMean('hedaers', SERVER_KEYS)).toBe('headers'); // a swap is one edit
    expect(didYouMean('wieght', SERVER_KEYS)).toBe('weight');
    expect(didYouMean('tag', SERVER_KEYS)).toBe('tags');
    expect(didYouMean('mcpServer', ['mcpServers', 'discovery'])).toBe('mcpServers');
    expect(didYouMean('mcp_servers', ['mcpServers', 'discovery'])).toBe('mcpServers');
  });

  it('suggests nothing for far, short, empty or overlong keys', () => {
    expect(didYouMean('inputs', ['mcpServers', 'discovery', 'retry'])).toBeUndefined();
    expect(didYouMean('retires', ['mcpServers', 'discovery', 'retry'])).toBeUndefined();
    expect(didYouMean('ab', SERVER_KEYS)).toBeUndefined();
    expect(didYouMean('', SERVER_KEYS)).toBeUndefined();
    expect(didYouMean(`command${'x'.repeat(58)}`, SERVER_KEYS)).toBeUndefined();
    expect(didYouMean('command', SERVER_KEYS)).toBeUndefined(); // a known key is no typo
  });

  it('only ever suggests a candidate, never for a length two away or more', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (key) => {
        const suggestion = didYouMean(key, SERVER_KEYS);
        if (suggestion === undefined) return;
        expect(SERVER_KEYS).toContain(suggestion);
        expect(Math.abs(suggestion.length - key.length)).toBeLessThanOrEqual(2);
      }),
      { seed: 7_2026, numRuns: 500 },
    );
  });
});
