import type { ConfigIssue } from '@mcpmx/core';
import type { EnvAccess } from './env-access.js';

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in `value` from `access.env`. A variable that is
 * unset and has no default, or that `access` refuses (outside the allowlist, or never read), is
 * reported as an issue at `path` (naming the variable, never a value), and the reference is
 * left in place. Each non-empty value read from the environment is added to `access.read`, so a
 * redactor can find it in output; defaults are config text and are not.
 *
 * Only `env`'s own string properties count, so `${constructor}` or `${__proto__}` are unset
 * variables, not Object's members. The scan is linear in the length of `value` (a regular
 * expression with a `[^}]*` default backtracks quadratically on `${A:-${A:-...` without `}`).
 */
export function interpolate(
  value: string,
  path: string,
  access: EnvAccess,
  issues: ConfigIssue[],
): string {
  const { env } = access;
  if (!value.includes('${')) return value;
  let output = '';
  let copied = 0;
  let search = 0;
  let closing = -1;
  /** The first `}` at or after `from`; the answer only moves forward, so the scan stays linear. */
  const closingAfter = (from: number): number => {
    if (closing === Number.POSITIVE_INFINITY || closing >= from) return closing;
    const found = value.indexOf('}', from);
    closing = found === -1 ? Number.POSITIVE_INFINITY : found;
    return closing;
  };
  for (;;) {
    const start = value.indexOf('${', search);
    if (start === -1) break;
    search = start + 2;
    let cursor = start + 2;
    if (!NAME_START.test(value.charAt(cursor))) continue;
    while (cursor < value.length && NAME_PART.test(value.charAt(cursor))) cursor++;
    const name = value.slice(start + 2, cursor);
    let fallback: string | undefined;
    let end: number;
    if (value.charAt(cursor) === '}') {
      end = cursor;
    } else if (value.startsWith(':-', cursor)) {
      end = closingAfter(cursor + 2);
      if (end === Number.POSITIVE_INFINITY) break;
      fallback = value.slice(cursor + 2, end);
    } else {
      continue;
    }
    const refusal = access.refusal(name);
    const found = refusal === undefined && Object.hasOwn(env, name) ? env[name] : undefined;
    let replacement: string;
    if (refusal !== undefined) {
      issues.push({ path, expected: refusal, found: value.slice(start, end + 1) });
      replacement = value.slice(start, end + 1);
    } else if (typeof found === 'string') {
      replacement = found;
      if (found !== '') access.read.add(found);
    } else if (fallback !== undefined) replacement = fallback;
    else {
      issues.push({ path, expected: `environment variable ${name} to be set`, found: undefined });
      replacement = value.slice(start, end + 1);
    }
    output += value.slice(copied, start) + replacement;
    copied = end + 1;
    search = end + 1;
  }
  return copied === 0 ? value : output + value.slice(copied);
}
