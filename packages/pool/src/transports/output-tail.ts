import { redactUrls } from '@mcpmx/core';

/**
 * Keeps the last `limit` characters written to it: a child's stderr, quoted in error messages
 * without letting a chatty server grow memory without bound.
 */
export class OutputTail {
  private text = '';
  private dropped = false;

  constructor(private readonly limit: number) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.limit) {
      this.text = this.text.slice(this.text.length - this.limit);
      this.dropped = true;
    }
  }

  /** The kept text, trimmed, with a marker when older output was dropped. */
  toString(): string {
    const trimmed = this.text.trim();
    return this.dropped ? `…${trimmed}` : trimmed;
  }
}

/** A stack frame ("    at Module._load (node:…)"): it names no problem, only where. */
const STACK_FRAME = /^\s+at\s/;
/** A line that names what went wrong: "Error: Cannot find module '/x'", "TypeError: …". */
const ERROR_LINE = /^\s*(?:[A-Z]\w*)?(?:Error|Exception)\b.*:|^\s*(?:error|fatal)\b/i;

/**
 * Quotes a child's output for an error message: the last few lines, indented, with URL
 * credentials and queries dropped. Stack frames and blank lines are left out, and the first
 * line that names the error ("Error: Cannot find module '/path'") is kept even when it is not
 * among the last ones. Known secrets (a config's interpolated values) are the client's to
 * redact, where the message leaves it.
 */
export function quoteOutput(label: string, output: string, maxLines = 8): string {
  if (output === '') return '';
  const all = redactUrls(output).split('\n');
  const telling = all.filter((line) => line.trim() !== '' && !STACK_FRAME.test(line));
  const lines = (telling.length > 0 ? telling : all).slice(-maxLines);
  const named = telling.find((line) => ERROR_LINE.test(line));
  if (named !== undefined && !lines.includes(named)) lines.splice(0, 1, named, '…');
  return `\n${label}:\n${lines.map((line) => `  | ${line}`).join('\n')}`;
}
