import { didYouMean } from './did-you-mean.js';
import { describeValue } from './errors.js';

/**
 * One problem found in a discovery record, in the shape of a zod issue (zod itself is not
 * needed): where, and what was expected there as `message` ("a number >= 0"). Unknown keys
 * come as zod's `unrecognized_keys`, with `keys`.
 */
export interface RecordIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly keys?: readonly string[];
}

/** Options for {@link describeRecordIssues}. */
export interface DescribeRecordIssuesOptions {
  /** Put before every path (`"TXT "` gives `TXT path must be ...`). Default none. */
  prefix?: string;
  /** Names the record itself, for a problem at its root. Default `value`. */
  root?: string;
  /** The keys allowed at a path, for unknown keys: listed and used for a did-you-mean. */
  knownKeys?(path: readonly PropertyKey[]): readonly string[];
}

const MAX_SEGMENT = 40;

function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else {
      const name = String(segment);
      text += `${text ? '.' : ''}${name.length > MAX_SEGMENT ? `${name.slice(0, MAX_SEGMENT - 3)}...` : name}`;
    }
  }
  return text;
}

function valueAt(record: unknown, path: readonly PropertyKey[]): unknown {
  let value = record;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) {
      return undefined;
    }
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/**
 * The reason of a SkippedRecord: the first problem as `<path> must be <expected> (got <found>)`,
 * the found value read from `record` at that path and quoted briefly; an unknown key as
 * `<path> is not a known key (did you mean "weight"?); expected one of ...`. Further problems
 * are counted, not listed, so a reason stays short however broken the record is.
 */
export function describeRecordIssues(
  issues: readonly RecordIssue[],
  record: unknown,
  options: DescribeRecordIssuesOptions = {},
): string {
  const [issue] = issues;
  if (!issue) return `${options.root ?? 'value'} is invalid`;
  const prefix = options.prefix ?? '';
  const subject = (path: readonly PropertyKey[]) =>
    path.length === 0 ? (options.root ?? 'value') : `${prefix}${pathText(path)}`;
  let reason: string;
  if (issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0) {
    const key = issue.keys[0] as string;
    const known = options.knownKeys?.(issue.path) ?? [];
    const guess = didYouMean(key, known);
    reason =
      `${subject([...issue.path, key])} is not a known key` +
      (guess ? ` (did you mean ${JSON.stringify(guess)}?)` : '') +
      (known.length > 0 ? `; expected one of ${known.join(', ')}` : '');
  } else {
    const found = describeValue(valueAt(record, issue.path));
    reason = `${subject(issue.path)} must be ${issue.message} (got ${found})`;
  }
  const more = issues.length - 1 + Math.max(0, (issue.keys?.length ?? 1) - 1);
  return more > 0 ? `${reason} (and ${more} more problem${more === 1 ? '' : 's'})` : reason;
}
