import { describe, expect, it } from 'vitest';
import { quoteName } from './quote-name.js';
import { UnknownPromptError, UnknownResourceError, UnknownToolError } from './routing-errors.js';

const HUGE = 4 * 1024 * 1024;

describe('quoteName', () => {
  it('quotes a name of up to 64 characters whole, and escapes it', () => {
    expect(quoteName('echo')).toBe('"echo"');
    expect(quoteName('a'.repeat(64))).toBe(`"${'a'.repeat(64)}"`);
    expect(quoteName('two\nlines "x"')).toBe('"two\\nlines \\"x\\""');
  });

  it('cuts a longer name and says how long it was', () => {
    expect(quoteName('a'.repeat(65))).toBe(`"${'a'.repeat(64)}…" (65 characters)`);
    expect(quoteName('abcdef', 3)).toBe('"abc…" (6 characters)');
  });
});

describe('unknown-name errors', () => {
  it('a 4 MiB unknown tool, prompt or URI makes a short message that gives its length', () => {
    const name = 'x'.repeat(HUGE);
    for (const error of [
      new UnknownToolError(name, []),
      new UnknownPromptError(name, []),
      new UnknownResourceError(`test://${name}`),
    ]) {
      expect(error.message.length).toBeLessThan(400);
      expect(error.message).toMatch(/\((4194304|4194311) characters\)/);
    }
    expect(new UnknownToolError(name, []).tool).toBe(name); // the field keeps the whole name
  });

  it('a plausible name is shown whole with its suggestions', () => {
    expect(new UnknownToolError('ecko', ['echo']).message).toBe(
      'Unknown tool "ecko". Did you mean "echo"?',
    );
  });
});
