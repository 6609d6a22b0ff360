import { ConfigError } from '@mcpmx/core';

/**
 * JSON.parse with an error that names the source, line and column. A leading byte-order mark
 * (which some editors write) is ignored. The message describes the problem in its own words:
 * V8's messages sometimes give no position and quote the surrounding text, which may hold a
 * secret written literally in the file.
 */
export function parseJsonText(text: string, source: string | undefined): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const located = findJsonError(body);
    if (!located) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ConfigError([{ path: '', expected: 'valid JSON', found: message }], source);
    }
    const before = body.slice(0, located.offset);
    const line = before.split('\n').length;
    const column = located.offset - before.lastIndexOf('\n');
    const expected = `valid JSON at line ${line}, column ${column} (${located.expected})`;
    throw new ConfigError([{ path: '', expected, found: located.found }], source);
  }
}

/** Where JSON text goes wrong: the offset, what was expected there, and what was found. */
export interface JsonSyntaxProblem {
  offset: number;
  expected: string;
  /** The character found, or a phrase such as "the end of the input". */
  found: string;
}

type Expecting = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma' | 'end';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * Finds where `text` stops being JSON (RFC 8259) and says what is wrong there. Iterative, so
 * deep nesting cannot overflow the stack. Undefined when the text is valid JSON.
 */
export function findJsonError(text: string): JsonSyntaxProblem | undefined {
  const open: string[] = [];
  let expecting = 'value' as Expecting;
  let index = 0;
  const unexpected = (expected: string): JsonSyntaxProblem => ({
    offset: index,
    expected,
    found: text.charAt(index),
  });
  const afterValue = () => {
    expecting = open.length === 0 ? 'end' : 'comma';
  };
  /** Scans the string starting at `index` (a quote); returns a problem or moves past it. */
  const scanString = (): JsonSyntaxProblem | undefined => {
    for (let at = index + 1; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        index = at + 1;
        return undefined;
      }
      if (code < 0x20) {
        const found = `control character U+${code.toString(16).padStart(4, '0')}`;
        return { offset: at, expected: 'an escaped control character in a string', found };
      }
      if (code === 0x5c) {
        const escaped = text.charAt(at + 1);
        if (escaped === 'u' && HEX4.test(text.slice(at + 2, at + 6))) at += 5;
        else if (ESCAPES.has(escaped)) at += 1;
        else return { offset: at, expected: 'a valid escape in a string', found: `\\${escaped}` };
      }
    }
    return { offset: text.length, expected: 'the closing quote of a string', found: 'the end' };
  };
  for (;;) {
    while (index < text.length && ' \t\n\r'.includes(text.charAt(index))) index++;
    if (index >= text.length) {
      if (expecting === 'end') return undefined;
      return { offset: index, expected: 'more JSON', found: 'the end' };
    }
    const char = text.charAt(index);
    switch (expecting) {
      case 'end':
        return unexpected('nothing after the JSON value');
      case 'colon':
        if (char !== ':') return unexpected('":"');
        index++;
        expecting = 'value';
        break;
      case 'comma': {
        const closer = open.at(-1) === '{' ? '}' : ']';
        if (char === ',') {
          index++;
          expecting = open.at(-1) === '{' ? 'key' : 'value';
        } else if (char === closer) {
          index++;
          open.pop();
          afterValue();
        } else {
          return unexpected(`"," or "${closer}"`);
        }
        break;
      }
      case 'key':
      case 'key-or-close':
        if (char === '}' && expecting === 'key-or-close') {
          index++;
          open.pop();
          afterValue();
        } else if (char === '"') {
          const problem = scanString();
          if (problem) return problem;
          expecting = 'colon';
        } else {
          return unexpected('a property name in double quotes');
        }
        break;
      default: {
        if (char === ']' && expecting === 'value-or-close') {
          index++;
          open.pop();
          afterValue();
        } else if (char === '{' || char === '[') {
          index++;
          open.push(char);
          expecting = char === '{' ? 'key-or-close' : 'value-or-close';
        } else if (char === '"') {
          const problem = scanString();
          if (problem) return problem;
          afterValue();
        } else {
          NUMBER.lastIndex = index;
          const number = NUMBER.exec(text);
          const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, index));
          if (number) index += number[0].length;
          else if (literal) index += literal.length;
          else return unexpected('a value');
          afterValue();
        }
      }
    }
  }
}
