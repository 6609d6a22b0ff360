/** Anything that redacts as the client does: a MultiServerClient. */
export interface Redacts {
  redact(text: string): string;
}

/**
 * The app's way out to a log or a terminal: every text written passes `source`'s redactor
 * first (URL userinfo and queries dropped, the config's interpolated values replaced), so an
 * output channel added later is redacted by being built on this.
 */
export function redactedWriter(
  source: Redacts,
  write: (text: string) => void,
): (text: string) => void {
  return (text) => write(source.redact(text));
}
