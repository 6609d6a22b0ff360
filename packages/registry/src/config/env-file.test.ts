import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env-file.js';

const QUOTED = 'a quoted value closed on its line (then at most a # comment)';

describe('parseEnvFile', () => {
  it('reads dotenv lines: export, quotes, escapes, comments', () => {
    const text = [
      '\uFEFF# a comment',
      '',
      'PLAIN = value with spaces  # trailing comment',
      'export EXPORTED=1',
      'DOUBLE="a\\nb \\"q\\" # not a comment"',
      "SINGLE='${NOT_EXPANDED} \\n'",
      'EMPTY=',
      'HASH=a#b',
      '__proto__=kept as a key',
    ].join('\r\n');
    const parsed = parseEnvFile(text);
    expect(parsed).toEqual({
      values: {
        PLAIN: 'value with spaces',
        EXPORTED: '1',
        DOUBLE: 'a\nb "q" # not a comment',
        SINGLE: '${NOT_EXPANDED} \\n',
        EMPTY: '',
        HASH: 'a#b',
        ['__proto__']: 'kept as a key',
      },
    });
    expect(Object.getPrototypeOf('values' in parsed ? parsed.values : {})).toBe(Object.prototype);
  });

  it('names the first line that is not KEY=value, or lacks its closing quote', () => {
    expect(parseEnvFile('A=1\njust words\n')).toEqual({ line: 2, expected: 'a KEY=value line' });
    expect(parseEnvFile('A="open\n')).toEqual({ line: 1, expected: QUOTED });
    expect(parseEnvFile("A='x' trailing")).toEqual({ line: 1, expected: QUOTED });
  });
});
