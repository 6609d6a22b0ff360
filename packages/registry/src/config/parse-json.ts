import { ConfigError } from '@mcpmx/core';

/** JSON.parse with an error that names the source, line and column. */
export function parseJsonText(text: string, source: string | undefined): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    let where = '';
    if (position !== undefined) {
      const before = text.slice(0, Number(position));
      const line = before.split('\n').length;
      const column = Number(position) - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${column}`;
    }
    throw new ConfigError(
      [{ path: '', expected: `valid JSON${where}`, found: message.replace(/^JSON\.parse: /, '') }],
      source,
    );
  }
}
