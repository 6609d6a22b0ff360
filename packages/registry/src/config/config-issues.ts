import type { ConfigIssue } from '@mcpmx/core';
import { didYouMean } from '@mcpmx/core';
import type { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

/**
 * Checks `value` against `schema` and adds each problem to `issues` as a {@link ConfigIssue}:
 * the path (under `path`), what was expected in plain words, and what was found. `found` is
 * read from `written` (default `value`) at the issue's path: when `value` is the interpolated
 * copy, the message shows the text as written, never an interpolated secret.
 *
 * A schema words its own expectations with `{ error: 'a number > 0' }` (an object's own error
 * should word only `invalid_type` and return undefined otherwise); issues without one get a
 * phrase from their kind here, never zod's own wording. An unknown key becomes one issue per
 * key, with a did-you-mean among the object's known keys.
 */
export function checkWithSchema<T extends z.ZodType>(
  schema: T,
  value: unknown,
  path: string,
  issues: ConfigIssue[],
  written: unknown = value,
): z.output<T> | undefined {
  const knownKeys = new WeakMap<readonly string[], readonly string[]>();
  const result = schema.safeParse(value, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') knownKeys.set(issue.keys, shapeKeys(issue.inst));
      return expectedOf(issue);
    },
  });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const at = joinPath(path, issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys.get(issue.keys) ?? [];
      for (const key of issue.keys) {
        issues.push({
          path: joinPath(at, [key]),
          expected: unknownKeyExpected(key, known, at === ''),
          found: key,
        });
      }
    } else if (issue.code === 'invalid_union' && issue.discriminator !== undefined) {
      // A union over a key (`type`) that matched no option: the key is what is wrong.
      const options = ('options' in issue ? issue.options : undefined) ?? [];
      const keyPath =
        issue.path.at(-1) === issue.discriminator
          ? issue.path
          : [...issue.path, issue.discriminator];
      issues.push({
        path: joinPath(path, keyPath),
        expected: `one of ${options.map((option) => JSON.stringify(option)).join(', ')}`,
        found: valueAt(written, keyPath),
      });
    } else {
      // A schema may name what was found itself (a key rather than its value).
      const found =
        issue.code === 'custom' && issue.params !== undefined && 'found' in issue.params
          ? issue.params.found
          : valueAt(written, issue.path);
      issues.push({ path: at, expected: issue.message, found });
    }
  }
  return undefined;
}

/** What an unknown key should have been: the closest known key, or the list of known keys. */
export function unknownKeyExpected(
  key: string,
  known: readonly string[],
  topLevel: boolean,
): string {
  if (known.length === 0) return 'no such key';
  const suggestion = didYouMean(key, known);
  const hint = suggestion === undefined ? undefined : `did you mean ${JSON.stringify(suggestion)}?`;
  if (topLevel) {
    return `a top-level key among ${known.join(', ')}${hint ? ` (${hint})` : ''}`;
  }
  return `one of the known keys (${hint ?? known.join(', ')})`;
}

/** `a.b[0].c`, the path format of every ConfigIssue. */
export function joinPath(base: string, segments: readonly PropertyKey[]): string {
  let path = base;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path += path === '' ? String(segment) : `.${String(segment)}`;
  }
  return path;
}

/** Own properties only: a path segment such as `constructor` must not reach Object's members. */
function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) {
      return undefined;
    }
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function shapeKeys(inst: unknown): readonly string[] {
  const shape = (inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

const TYPE_PHRASES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  record: 'an object',
  null: 'null',
  undefined: 'nothing',
  never: 'nothing',
  nonoptional: 'a value',
};

/** A plain phrase for what an issue expected, used when the schema gave none of its own. */
function expectedOf(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_PHRASES[issue.expected] ?? `a value of type ${issue.expected}`;
    case 'invalid_value': {
      const values = issue.values.map((value) => JSON.stringify(value) ?? String(value));
      return values.length === 1 ? (values[0] as string) : `one of ${values.join(', ')}`;
    }
    case 'too_small':
    case 'too_big': {
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const sign = issue.code === 'too_small' ? '>' : '<';
      const comparison = `${sign}${issue.inclusive ? '=' : ''} ${String(limit)}`;
      if (issue.origin === 'string') return `a string of length ${comparison}`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `a list of length ${comparison}`;
      return `${issue.origin === 'int' ? 'an integer' : 'a number'} ${comparison}`;
    }
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern
        ? `a string matching ${issue.pattern}`
        : `a valid ${issue.format}`;
    case 'unrecognized_keys':
      return 'only known keys';
    case 'invalid_union': {
      // What each alternative expected: `"auto" or a number`.
      const alternatives = new Set(issue.errors.map((branch) => branch[0]?.message));
      alternatives.delete(undefined);
      return alternatives.size > 0 ? [...alternatives].join(' or ') : 'one of the accepted forms';
    }
    case 'invalid_key':
      return 'a valid key';
    default:
      return 'a valid value';
  }
}
