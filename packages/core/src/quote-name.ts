import { MAX_NAME_LENGTH } from './closest-names.js';

/**
 * A caller's name (tool, prompt, URI) quoted for a message or log line, and cut when it is over
 * `max` characters (default 64, MAX_NAME_LENGTH), saying how long it was: a 4 MiB name makes a
 * short message, `"aaaa…" (4194304 characters)`. JSON-quoted, so quotes and line breaks in the
 * name cannot forge a line.
 */
export function quoteName(name: string, max: number = MAX_NAME_LENGTH): string {
  if (name.length <= max) return JSON.stringify(name);
  return `${JSON.stringify(`${name.slice(0, max)}…`)} (${name.length} characters)`;
}
