/** A dotenv file's contents, or the first line that is not `KEY=value`. */
export type EnvFileParse = { values: Record<string, string> } | { line: number; expected: string };

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t' };

/**
 * Reads dotenv text, as VS Code's `envFile` and the `dotenv` package do: `KEY=value` lines
 * (optionally after `export`), `#` comments, blank lines; values unquoted (trimmed, a ` #`
 * starts a comment), in single quotes or backticks (as written) or in double quotes (with
 * `\n`, `\r`, `\t`, `\"` and `\\`). Values are taken literally: no `${…}` expansion.
 */
export function parseEnvFile(text: string): EnvFileParse {
  const values: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) return { line: index + 1, expected: 'a KEY=value line' };
    const [, key, raw] = match as unknown as [string, string, string];
    const value = unquote(raw);
    if (value === undefined)
      return {
        line: index + 1,
        expected: 'a quoted value closed on its line (then at most a # comment)',
      };
    Object.defineProperty(values, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { values };
}

function unquote(raw: string): string | undefined {
  const quote = raw.charAt(0);
  if (quote === "'" || quote === '`') {
    const end = raw.indexOf(quote, 1);
    if (end === -1 || !onlyComment(raw.slice(end + 1))) return undefined;
    return raw.slice(1, end);
  }
  if (quote === '"') {
    let value = '';
    for (let index = 1; index < raw.length; index++) {
      const char = raw.charAt(index);
      if (char === '"') return onlyComment(raw.slice(index + 1)) ? value : undefined;
      if (char === '\\' && index + 1 < raw.length) {
        const next = raw.charAt(++index);
        value += ESCAPES[next] ?? next;
      } else value += char;
    }
    return undefined;
  }
  const comment = raw.search(/\s#/);
  return (comment === -1 ? raw : raw.slice(0, comment)).trim();
}

const onlyComment = (rest: string): boolean => /^\s*(#.*)?$/.test(rest);
