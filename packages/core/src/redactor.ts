/**
 * A secret shorter than this is never redacted: `1`, `true` or `prod` would blank out ordinary
 * text. Shorter values are still used; they are only not searched for in output.
 */
export const MIN_SECRET_LENGTH = 6;

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Nested values (causes, fields, arrays) deeper than this are left as they are. */
const MAX_DEPTH = 8;

/**
 * A URL in text: a scheme (at most 32 characters, so the scan stays linear), `://`, optional
 * userinfo up to the last `@` of the authority, the host and path, and an optional query or
 * fragment. Whitespace, double quotes, angle brackets and backticks end a URL (a URL's own
 * serialization percent-encodes them); a single quote ends only its host and path.
 */
const URL_IN_TEXT =
  /([a-z][a-z0-9+.-]{0,31}:\/\/)(?:[^\s/?#"<>`\\]*@)?([^\s?#"'<>`\\]*)([?#][^\s"<>`\\]*)?/gi;

/**
 * `text` with every URL's userinfo (`user:password@`) dropped and its query and fragment
 * replaced by `?…`, wherever a URL appears: in an SDK error message, a child's stderr, a label.
 */
export function redactUrls(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(
    URL_IN_TEXT,
    (_match, scheme: string, rest: string, query: string | undefined) =>
      `${scheme}${rest}${query ? '?…' : ''}`,
  );
}

/**
 * Removes secrets from what mcpmx shows: status pages, dashboard frames, metrics, logs and the
 * errors it hands to callers. One redactor per client; the config's interpolated values are
 * added as the config is read.
 */
export interface Redactor {
  /** `text` without URL userinfo or query, and with every known secret replaced by `[redacted]`. */
  redact(text: string): string;
  /** A copy of a JSON-like value (a snapshot, a frame) with every string in it redacted. */
  redactValue<T>(value: T): T;
  /**
   * The same error with its message, stack, string fields and causes redacted in place, so
   * whoever holds it (a rethrow, a log, an event listener) sees no secret. A string is redacted;
   * anything else is returned as it is.
   */
  redactError<T>(error: T): T;
  /** Adds values to search for; values shorter than MIN_SECRET_LENGTH are ignored. */
  addSecrets(values: Iterable<string>): void;
}

/** A redactor that knows `secrets` (more can be added) and always strips URL credentials. */
export function createRedactor(secrets: Iterable<string> = []): Redactor {
  /** Each secret and the forms it takes in URLs and JSON, longest first. */
  let needles: string[] = [];
  const known = new Set<string>();

  const addSecrets = (values: Iterable<string>) => {
    let added = false;
    for (const value of values) {
      if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || known.has(value)) {
        continue;
      }
      known.add(value);
      added = true;
    }
    if (!added) return;
    const forms = new Set<string>();
    for (const value of known) {
      forms.add(value);
      forms.add(encodeURIComponent(value));
      forms.add(encodeURI(value));
      forms.add(JSON.stringify(value).slice(1, -1));
    }
    needles = [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
    needles.sort((a, b) => b.length - a.length);
  };

  const redact = (text: string): string => {
    let output = text;
    for (const needle of needles) {
      if (output.includes(needle)) output = output.split(needle).join(REDACTED);
    }
    return redactUrls(output);
  };

  const copy = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return redact(value);
    if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
    if (seen.has(value)) return value;
    seen.add(value);
    if (value instanceof Error) return inPlace(value, depth, seen);
    if (Array.isArray(value)) return value.map((item) => copy(item, depth + 1, seen));
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    const output: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) output[key] = copy(item, depth + 1, seen);
    return output;
  };

  /** An error's own strings and nested values, redacted where they are. */
  const inPlace = (error: Error, depth: number, seen: WeakSet<object>): Error => {
    for (const key of new Set([...Object.keys(error), 'message', 'stack', 'cause', 'errors'])) {
      if (!Object.hasOwn(error, key)) continue;
      const value: unknown = Reflect.get(error, key);
      const redacted = copy(value, depth + 1, seen);
      // A frozen error keeps its text; Reflect.set reports that instead of throwing.
      if (redacted !== value) Reflect.set(error, key, redacted);
    }
    return error;
  };

  addSecrets(secrets);
  return {
    redact,
    redactValue: <T>(value: T) => copy(value, 0, new WeakSet()) as T,
    redactError: <T>(error: T) =>
      (typeof error === 'string' || error instanceof Error
        ? copy(error, 0, new WeakSet())
        : error) as T,
    addSecrets,
  };
}
