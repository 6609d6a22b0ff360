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

/**
 * Quotes a child's output for an error message: the last few lines, indented, with URL
 * credentials and queries dropped. Known secrets (a config's interpolated values) are the
 * client's to redact, where the message leaves it.
 */
export function quoteOutput(label: string, output: string, maxLines = 8): string {
  if (output === '') return '';
  const lines = redactUrls(output).split('\n').slice(-maxLines);
  return `\n${label}:\n${lines.map((line) => `  | ${line}`).join('\n')}`;
}
