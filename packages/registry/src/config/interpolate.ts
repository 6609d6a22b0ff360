import type { ConfigIssue } from '@mcpmx/core';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in `value` from `env`. A variable that is unset
 * and has no default is reported as an issue at `path` (naming the variable, never a value),
 * and the reference is left in place.
 */
export function interpolate(
  value: string,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
): string {
  return value.replace(REFERENCE, (reference, name: string, fallback: string | undefined) => {
    const found = env[name];
    if (found !== undefined) return found;
    if (fallback !== undefined) return fallback;
    issues.push({ path, expected: `environment variable ${name} to be set`, found: undefined });
    return reference;
  });
}
