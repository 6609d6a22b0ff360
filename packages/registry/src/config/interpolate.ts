import type { ConfigIssue } from '@mcpmx/core';
import type { EnvAccess } from './env-access.js';

/** `NAME`, `env:NAME`, each with an optional `:-default`. */
const ENV_REFERENCE = /^(env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;
/** `input:ID`, VS Code's reference to an entry of `inputs`. */
const INPUT_REFERENCE = /^input:([\s\S]*)$/;

/** What a `${…}` that is none of the known forms should have been. */
export const REFERENCE_FORMS =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the forms, as a config writes them
  'a reference of the form ${NAME}, ${NAME:-default}, ${env:NAME} or ${input:ID}';

/**
 * Replaces `${NAME}`, `${env:NAME}` (each with an optional `:-default`) from `access.env`,
 * `${input:ID}` from `access.inputs`, and `${NAME}` for a name in `access.predefined` (VS
 * Code's `${workspaceFolder}`, `${userHome}`) from there. A reference that cannot be resolved is reported as an
 * issue at `path` (naming the variable or input, never a value) and left in place: a variable
 * unset without a default, a variable `access` refuses (outside the allowlist, or never read),
 * an input without a value, any other `${…}`, and a `${` without its `}`. The caller never uses
 * a value with issues, so nothing unresolved is ever sent. Each non-empty value read from the
 * environment or an input is added to `access.read`, so a redactor can find it in output;
 * defaults are config text and are not.
 *
 * Only `env`'s own string properties count, so `${constructor}` or `${__proto__}` are unset
 * variables, not Object's members. The scan is linear in the length of `value`: each `${`
 * reads up to the first `}` after it, and the scan goes on after that `}`.
 */
export function interpolate(
  value: string,
  path: string,
  access: EnvAccess,
  issues: ConfigIssue[],
): string {
  if (!value.includes('${')) return value;
  const { env } = access;
  /** One issue per distinct malformed reference in a string, not one per repeat. */
  const reported = new Set<string>();
  let output = '';
  let copied = 0;
  for (;;) {
    const start = value.indexOf('${', copied);
    if (start === -1) break;
    const end = value.indexOf('}', start + 2);
    if (end === -1) {
      issues.push({ path, expected: 'a "}" closing each "${"', found: value });
      break;
    }
    const reference = value.slice(start, end + 1);
    const body = value.slice(start + 2, end);
    const replacement = resolve(reference, body);
    output += value.slice(copied, start) + (replacement ?? reference);
    copied = end + 1;
  }
  return copied === 0 ? value : output + value.slice(copied);

  function resolve(reference: string, body: string): string | undefined {
    const input = INPUT_REFERENCE.exec(body);
    if (input) {
      const id = input[1] as string;
      const found = access.inputs?.value(id);
      if (found === undefined) {
        const expected = access.inputs?.missing(id) ?? `an input "${id}" declared under "inputs"`;
        issues.push({ path, expected, found: reference });
        return undefined;
      }
      if (found.secret && found.text !== '') access.read.add(found.text);
      return found.text;
    }
    const variable = ENV_REFERENCE.exec(body);
    if (!variable) {
      if (!reported.has(reference)) {
        reported.add(reference);
        issues.push({ path, expected: REFERENCE_FORMS, found: reference });
      }
      return undefined;
    }
    const name = variable[2] as string;
    const fallback = variable[3];
    // VS Code's predefined variables (`${workspaceFolder}`): config facts, not secrets.
    const predefined = access.predefined;
    if (variable[1] === undefined && predefined && Object.hasOwn(predefined, name)) {
      return predefined[name];
    }
    const refusal = access.refusal(name);
    if (refusal !== undefined) {
      issues.push({ path, expected: refusal, found: reference });
      return undefined;
    }
    const found = Object.hasOwn(env, name) ? env[name] : undefined;
    if (typeof found === 'string') {
      if (found !== '') access.read.add(found);
      return found;
    }
    if (fallback !== undefined) return fallback;
    issues.push({ path, expected: `environment variable ${name} to be set`, found: undefined });
    return undefined;
  }
}

/** Every value of a record interpolated, each issue at `path.key`. */
export function interpolateRecord(
  record: Readonly<Record<string, string>> | undefined,
  path: string,
  env: EnvAccess,
  issues: ConfigIssue[],
): Record<string, string> {
  const output: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    output[key] = interpolate(value, `${path}.${key}`, env, issues);
  }
  return output;
}
